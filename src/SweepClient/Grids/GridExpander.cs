using Sweeps.Grains.Interfaces.Sweeps;

namespace Sweeps.SweepClient.Grids;

/// <summary>
/// Expands a grid into trials: the cross product of every axis (tasks × methods × keep × classifier × distillation ×
/// seeds × each listed training setting). Dense fine-tuning ignores keep and distillation. A student distilled from
/// "teacher" gets the dense trial of its task, classifier, seed and training settings as its teacher, added before it
/// and shared by every student that needs it. Identical trials collapse into one (same id).
/// </summary>
public static class GridExpander
{
    public static SweepSpec Expand(GridDocument grid, string file, string text, GridLimits limits)
    {
        var combinations = (double)grid.Tasks.Count * grid.Methods.Count * grid.Keep.Count * grid.Classifiers.Count
            * grid.Distill.Count * grid.Seeds.Count * grid.Training.Values.Aggregate(1.0, (product, axis) => product * axis.Count);
        if (combinations > limits.MaxTrials)
            throw new GridValidationException([new GridError(file, 1, 1, "grid",
                $"expands to {combinations:N0} combinations; the limit is {limits.MaxTrials:N0} trials (--max-trials)")]);

        var trials = new List<TrialSpec>();
        var ids = new HashSet<string>();
        void Add(TrialSpec trial)
        {
            if (ids.Add(trial.Id)) trials.Add(trial);
        }

        foreach (var (task, data, taskTeacher, taskTeacherLabels) in grid.Tasks)
        foreach (var method in grid.Methods)
        foreach (var keep in method == "dense" ? [1.0] : grid.Keep)
        foreach (var classifier in grid.Classifiers)
        foreach (var distill in method == "dense" ? [false] : grid.Distill)
        foreach (var seed in grid.Seeds)
        foreach (var training in TrainingCombinations(grid.Training))
        {
            TrialSpec Trial(string m, double k, DistillationSpec? kd) =>
                new(task, data, grid.Model, m, k, classifier, kd, seed, training, grid.Pool);

            DistillationSpec? distillation = null;
            if (distill && (taskTeacher ?? grid.TeacherFolder) is { } teacherFolder)
            {
                distillation = new DistillationSpec(null, teacherFolder, grid.DistillTemperature, grid.AlphaKd, grid.AlphaCe,
                    taskTeacherLabels ?? grid.TeacherLabels);
            }
            else if (distill)
            {
                var teacher = Trial("dense", 1.0, null);
                Add(teacher);
                distillation = new DistillationSpec(teacher.Id, null, grid.DistillTemperature, grid.AlphaKd, grid.AlphaCe);
            }
            Add(Trial(method, keep, distillation));
        }

        return new SweepSpec(grid.Name, Path.GetFullPath(file), text, trials, new ResourceSpec(grid.Pool, grid.DevicesPerTrial),
            grid.MaxConcurrentTrials, grid.RetryLimit);
    }

    private static IEnumerable<TrainingSpec> TrainingCombinations(IReadOnlyDictionary<string, IReadOnlyList<double?>> axes)
    {
        IEnumerable<Dictionary<string, double?>> combinations = [new Dictionary<string, double?>()];
        foreach (var (key, values) in axes)
            combinations = combinations.SelectMany(c => values.Select(v => new Dictionary<string, double?>(c) { [key] = v }));
        return combinations.Select(c => new TrainingSpec(
            c["epochs"]!.Value, (int)c["batch_size"]!.Value, (int)c["max_length"]!.Value, (int?)c["train_limit"], (int?)c["dev_limit"],
            c["score_lr"]!.Value, c["head_lr"]!.Value, c["weight_lr"]!.Value, c["final_lambda"]!.Value, c["temperature"],
            c["prune_fraction"]!.Value));
    }
}
