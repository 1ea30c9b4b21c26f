using Sweeps.Search;
using Sweeps.Grains.Interfaces.Sweeps;
using Sweeps.Pruning.Models;
using Sweeps.Pruning.Smp;
using Sweeps.Pruning.Training;
using Sweeps.SweepClient.Grids.Search;
using Sweeps.Pruning.Trials;

namespace Sweeps.SweepClient.Grids;

/// <summary>
/// Expands a grid into trials: the cross product of every axis (tasks × methods × keep × classifier × precision ×
/// distillation × seeds × each listed training setting). Dense fine-tuning ignores keep and distillation. A student distilled from
/// "teacher" gets the dense trial of its task, classifier, seed and training settings as its teacher, added before it
/// and shared by every student that needs it. Identical trials collapse into one (same id).
/// </summary>
public static class GridExpander
{
    /// <param name="fingerprints">Fingerprints the inputs of each trial into its id (null: trials are identified by their paths).</param>
    public static SweepSpec Expand(GridDocument grid, string file, string text, GridLimits limits, InputFingerprints? fingerprints = null)
    {
        var combinations = (double)grid.Tasks.Count * grid.Methods.Count * grid.Keep.Count * grid.Classifiers.Count
            * grid.Precisions.Count * grid.Distill.Count * grid.Seeds.Count * grid.Training.Values.Aggregate(1.0, (product, axis) => product * axis.Count)
            * (grid.Distributions.Count > 0 ? grid.Search.Samples : 1);
        if (combinations > limits.MaxTrials)
            throw new GridValidationException([new GridError(file, 1, 1, "grid",
                $"expands to {combinations:N0} combinations; the limit is {limits.MaxTrials:N0} trials (--max-trials)")]);

        var inputs = new Dictionary<(string?, string?), string?>();
        string? InputsOf(string? data, string? teacherFolder)
        {
            if (fingerprints is null) return null;
            if (!inputs.TryGetValue((data, teacherFolder), out var fingerprint))
                inputs[(data, teacherFolder)] = fingerprint = fingerprints.OfTrial(grid.Model, data, teacherFolder);
            return fingerprint;
        }

        // The same points for every cell: a sampled setting varies across samples, not across tasks or seeds. A search the
        // sweep proposes expands one placeholder point (each distribution's middle): its trials are the plan's base trials.
        var proposed = grid.Search.ProposedBySweep;
        if (proposed) RefuseOverridesOfSampled(grid, file);
        var samples = proposed
            ? [grid.Distributions.Where(d => d.Key != SearchPlan.KeepKey).ToDictionary(d => d.Key, d => d.Value.At(0.5))]
            : SearchSampler.Points(grid.Search, grid.Distributions);
        var trials = new List<TrialSpec>();
        var matched = new HashSet<GridOverride>();
        var ids = new HashSet<string>();
        void Add(TrialSpec trial)
        {
            if (ids.Add(trial.Id)) trials.Add(trial);
        }

        foreach (var (task, data, taskTeacher, taskTeacherLabels) in grid.Tasks)
        foreach (var method in grid.Methods)
        foreach (var keep in method == PruningMethod.Dense ? [1.0] : grid.Keep)
        foreach (var classifier in grid.Classifiers)
        foreach (var precision in grid.Precisions)
        foreach (var distill in method == PruningMethod.Dense || grid.DistilledMethods?.Contains(method) == false ? [false] : grid.Distill)
        foreach (var seed in grid.Seeds)
        foreach (var listed in TrainingCombinations(grid.Training))
        foreach (var sample in samples)
        {
            var settings = sample.Count == 0 ? listed : WithSample(listed, sample);
            // Overrides apply to each trial by its own coordinates: a student's teacher is the dense trial with the
            // dense cell's settings, shared by students whose own cells differ.
            // The wire carries the canonical names: they are what the trial's id hashes.
            TrialSpec Trial(PruningMethod m, double k, DistillationSpec? kd)
            {
                var trialSettings = Override(settings, grid.Overrides, matched, task, m.ToName(), k, kd is not null, classifier.ToName(), precision.ToName());
                if (Conflict(trialSettings) is { } conflict)
                    throw new GridValidationException([new GridError(file, 1, 1, "training", $"{task} {m.ToName()} keep {k}: {conflict}")]);
                return new(task, data, grid.Model, m.ToName(), k, classifier.ToName(), kd, seed, Spec(trialSettings), grid.Pool,
                    InputsOf(data, kd?.TeacherFolder), precision == Precision.Fp32 ? null : precision.ToName());
            }

            DistillationSpec? distillation = null;
            if (distill && (taskTeacher ?? grid.TeacherFolder) is { } teacherFolder)
            {
                distillation = new DistillationSpec(null, teacherFolder, grid.DistillTemperature, grid.AlphaKd, grid.AlphaCe,
                    taskTeacherLabels ?? grid.TeacherLabels);
            }
            else if (distill)
            {
                var teacher = Trial(PruningMethod.Dense, 1.0, null);
                Add(teacher);
                distillation = new DistillationSpec(teacher.Id, null, grid.DistillTemperature, grid.AlphaKd, grid.AlphaCe);
            }
            Add(Trial(method, keep, distillation));
        }

        // The limit counts every trial planned, the dense teachers added for distillation too.
        if (trials.Count > limits.MaxTrials)
            throw new GridValidationException([new GridError(file, 1, 1, "grid",
                $"plans {trials.Count:N0} trials (teachers for distillation included); the limit is {limits.MaxTrials:N0} (--max-trials)")]);

        var unmatched = grid.Overrides.Where(o => !matched.Contains(o)).Select(o => new GridError(file, o.Line, o.Column, "overrides",
            $"when {{{string.Join(", ", o.When.Select(w => $"{w.Key}: [{string.Join(", ", w.Value)}]"))}}} matches no trial of this grid")).ToList();
        if (unmatched.Count > 0) throw new GridValidationException(unmatched);

        var plan = proposed ? Plan(grid, trials) : null;
        return new SweepSpec(grid.Name, Path.GetFullPath(file), text, plan is null ? trials : [], new ResourceSpec(grid.Pool, grid.DevicesPerTrial) { MemoryBytes = grid.MemoryPerTrial },
            grid.MaxConcurrentTrials, grid.RetryLimit, grid.Select) { EarlyStopping = grid.EarlyStopping, Search = plan };
    }

    /// <summary>A search the sweep proposes: its sampler, its settings' distributions and one point's trials.</summary>
    private static SearchPlan Plan(GridDocument grid, IReadOnlyList<TrialSpec> baseTrials) =>
        new(grid.Search.Method.ToString().ToLowerInvariant(), grid.Search.Samples, grid.Search.Seed, grid.Search.Startup,
            grid.Distributions.Select(d => new SearchedSetting(d.Key, Distribution.Names.Single(n => n.Value == d.Value.Kind).Key, d.Value.Low, d.Value.High, d.Value.Choices)).ToList(),
            baseTrials) { Objectives = grid.Objectives };

    /// <summary>
    /// The sweep gives every trial of a point the point's values, so an override of a sampled setting would be lost:
    /// refused, naming the override.
    /// </summary>
    private static void RefuseOverridesOfSampled(GridDocument grid, string file)
    {
        var errors = grid.Overrides.SelectMany(o => o.Training.Keys.Where(grid.Distributions.ContainsKey).Select(key => new GridError(file, o.Line, o.Column, "overrides",
            $"sets {key}, which search method {grid.Search.Method.ToString().ToLowerInvariant()} samples for every trial; sample it, or give it as a value or a list"))).ToList();
        if (errors.Count > 0) throw new GridValidationException(errors);
    }

    private static IEnumerable<IReadOnlyDictionary<string, double?>> TrainingCombinations(IReadOnlyDictionary<string, IReadOnlyList<double?>> axes)
    {
        IEnumerable<Dictionary<string, double?>> combinations = [new Dictionary<string, double?>()];
        foreach (var (key, values) in axes)
            combinations = combinations.SelectMany(c => values.Select(v => new Dictionary<string, double?>(c) { [key] = v }));
        return combinations;
    }

    private static IReadOnlyDictionary<string, double?> WithSample(IReadOnlyDictionary<string, double?> listed, IReadOnlyDictionary<string, double> sample)
    {
        var settings = new Dictionary<string, double?>(listed);
        foreach (var (key, value) in sample) settings[key] = value;
        return settings;
    }

    /// <summary>The settings after every matching override, in order; giving one form of the keep schedule's length (or of the warm-up's) clears the others.</summary>
    private static IReadOnlyDictionary<string, double?> Override(IReadOnlyDictionary<string, double?> settings, IReadOnlyList<GridOverride> overrides,
        HashSet<GridOverride> matched, string task, string method, double keep, bool distilled, string classifier, string precision)
    {
        var result = new Dictionary<string, double?>(settings);
        foreach (var entry in overrides.Where(o => o.Matches(task, method, keep, distilled, classifier, precision)))
        {
            matched.Add(entry);
            foreach (var (key, value) in entry.Training)
            {
                foreach (var alternatives in new[] { TrialSettings.PruneSchedule, TrialSettings.Warmup }.Where(g => g.Any(s => s.Key == key)))
                    foreach (var other in alternatives.Where(s => s.Key != key))
                        result[other.Key] = other.Default;
                result[key] = value;
            }
        }
        return result;
    }

    /// <summary>Two settings that give the same length two ways (caught here, not when the trial starts).</summary>
    private static string? Conflict(IReadOnlyDictionary<string, double?> c)
    {
        if (c["warmup_fraction"] is { } fraction && c["warmup_steps"] is { } steps)
            return $"warmup_fraction = {fraction} with warmup_steps = {steps}: expected one of the two, not both";
        if (c["final_warmup"] is { } final && (c["prune_steps"] ?? c["prune_hold_steps"]) is { } given)
            return $"final_warmup = {final} with {(c["prune_steps"] is null ? "prune_hold_steps" : "prune_steps")} = {given}: expected one of the two, not both";
        return null;
    }

    private static TrainingSpec Spec(IReadOnlyDictionary<string, double?> c) => new(
        c["epochs"]!.Value, (int)c["batch_size"]!.Value, (int)c["max_length"]!.Value, (int?)c["train_limit"], (int?)c["dev_limit"],
        c["score_lr"]!.Value, c["head_lr"]!.Value, c["weight_lr"]!.Value, c["final_lambda"]!.Value, c["temperature"],
        c["prune_fraction"]!.Value, (int?)c["prune_steps"], (int?)c["prune_hold_steps"], (int?)c["lambda_steps"], c["max_grad_norm"]!.Value,
        (int?)c["eval_every"], c["warmup_fraction"], (int?)c["warmup_steps"], c["initial_warmup"], c["final_warmup"], (int?)c["pooler"],
        c["head_init_std"], (int?)c["transformers_adamw"], (int?)c["eval_from"]);
}
