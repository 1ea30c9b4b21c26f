using Sweeps.Search;
using System.Globalization;
using System.Text;
using Sweeps.Artifacts;
using Sweeps.Grains.Interfaces.Sweeps;
using Sweeps.Pruning.Checkpoints;
using Sweeps.Pruning.Inputs;
using Sweeps.Pruning.Models;
using Sweeps.Pruning.Smp;
using Sweeps.Pruning.Tasks;
using Sweeps.Pruning.Training;
using Sweeps.SweepClient.Grids.Search;
using Sweeps.Pruning.Trials;
using YamlDotNet.Core.Events;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Sweeps.SweepClient.Grids;

/// <summary>
/// Reads a grid.yaml into a <see cref="GridDocument"/>, collecting every problem (file, line, column, key, what was
/// expected) instead of stopping at the first. docs/grid.md documents every key read here.
/// </summary>
public sealed partial class GridReader : GridYamlReader
{
    /// <summary>The keys of the <c>training</c> section (<see cref="TrialSettings.Training"/>): any of them may be a list, which makes it an axis.</summary>
    private static readonly string[] TrainingKeys = TrialSettings.Training.Keys.ToArray();

    private static readonly string[] TopLevelKeys =
    [
        "name", "model", "tasks", "methods", "keep", "classifier", "precision", "distillation", "seeds", "training", "resources", "objectives",
        "max_concurrent_trials", "retry_limit", "select", "overrides", "search", "early_stopping",
    ];

    private const string KeepExpected = "a keep fraction in (0, 1]";

    private static readonly string[] OverrideMatchKeys = ["task", "method", "keep", "distillation", "classifier", "precision"];

    private readonly string folder;
    private readonly bool checkPaths;

    private GridReader(string file, bool checkPaths) : base(file)
    {
        this.checkPaths = checkPaths;
        folder = Path.GetDirectoryName(Path.GetFullPath(file))!;
    }

    /// <summary>Reads and checks a grid file; throws <see cref="GridValidationException"/> listing every problem.</summary>
    public static (GridDocument Document, string Text) Read(string path, GridLimits limits)
    {
        var reader = new GridReader(path, limits.CheckPaths);
        var text = GridSource.Read(path, limits, reader.Errors);
        var document = text is null ? null : reader.Parse(text);
        if (reader.Errors.Count > 0 || document is null)
            throw new GridValidationException(reader.Errors.OrderBy(e => e.Line).ThenBy(e => e.Column).ToList());
        return (document, text!);
    }

    private GridDocument? Parse(string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (Exception e) when (e is YamlException or InvalidOperationException)
        {
            Fail(e is YamlException y ? y.Start : null, "syntax", e.Message);
            return null;
        }
        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
            { Fail(null, "file", "expected one YAML document holding a mapping of keys (name, tasks, methods, keep, …)"); return null; }

        var keys = Mapping(root, "(top level)", TopLevelKeys);
        var name = RequiredString(keys, root, "name");
        if (name is not null && !SweepName.IsValid(name)) Fail(keys["name"].Start, "name", $"got {Shown(name)}, expected {SweepName.Expected}");
        var model = Model(OptionalString(keys, "model") ?? TrialSettings.DefaultModel, keys.GetValueOrDefault("model") ?? root);
        var tasks = Tasks(keys);
        var methods = List<PruningMethod>(keys, "methods", n => ParseWith(n, "methods", PruningMethodFacts.Parse, PruningMethodFacts.Expected),
            "a method name", [TrialSettings.DefaultMethod]);
        // keep: a list, or a distribution a model-based search samples (its axis holds the distribution's middle until a point sets it).
        var keepDistribution = keys.GetValueOrDefault("keep") is YamlMappingNode keepNode ? ReadDistribution(keepNode, TrialSettings.Keep, "keep",
            $"{KeepExpected}, a list of them, or (for search method tpe) one distribution: {{uniform: [low, high]}}, {{log_uniform: [low, high]}} or {{choice: [a, b, …]}}") : null;
        var keep = keepDistribution is not null ? [keepDistribution.At(0.5)] : keys.GetValueOrDefault("keep") is YamlMappingNode ? [TrialSettings.Keep.Value] : List<double>(keys, "keep", n => Number(n, "keep", TrialSettings.Keep.Contains, KeepExpected), KeepExpected,
            methods.All(m => m == PruningMethod.Dense) ? [1.0] : null);
        var classifiers = List<ClassifierMode>(keys, "classifier", n => ParseWith(n, "classifier", ClassifierModeNames.Parse, ClassifierModeNames.Expected),
            ClassifierModeNames.Expected, [TrialSettings.DefaultClassifier]);
        var precisions = List<Precision>(keys, "precision", n => ParseWith(n, "precision", PrecisionNames.Parse, PrecisionNames.Expected),
            PrecisionNames.Expected, [Precision.Fp32]);
        var seeds = List<int>(keys, "seeds", n => Integer(n, "seeds", v => TrialSettings.Seed.Contains(v), TrialSettings.Seed.Expected), "a seed", [TrialSettings.Seed.IntValue]);
        var distillation = Distillation(keys);
        foreach (var task in tasks) CheckTeacher(task, task.Teacher ?? distillation.TeacherFolder, keys.GetValueOrDefault("distillation") ?? keys.GetValueOrDefault("tasks") ?? root);
        var (training, distributions) = Training(keys);
        if (keepDistribution is not null) distributions = new Dictionary<string, Distribution>(distributions) { [SearchPlan.KeepKey] = keepDistribution };
        var search = Search(keys, distributions);
        if (keepDistribution is not null && search.Method != SearchMethod.Tpe)
            Fail(keys["keep"].Start, "keep", "is a distribution, which search method tpe samples; with grid, random or sobol give keep fractions as a list");
        var objectives = Objectives(keys, search, tasks);
        var earlyStopping = EarlyStopping(keys, tasks);
        CheckMaxLength(model, [.. training["max_length"], .. distributions.TryGetValue("max_length", out var lengths) ? [lengths.Bounds.Max] : Array.Empty<double?>()],
            keys.GetValueOrDefault("training") ?? root);
        var (pool, devices, memory) = Resources(keys);
        var maxConcurrent = keys.TryGetValue("max_concurrent_trials", out var mc) ? Integer(mc, "max_concurrent_trials", v => v is >= 0 and <= 100_000, "a non-negative integer, at most 100000 (0: no limit)") ?? 0 : 0;
        var retries = keys.TryGetValue("retry_limit", out var rl) ? Integer(rl, "retry_limit", v => v is >= 0 and <= 100, "an integer from 0 to 100") ?? 2 : 2;
        var select = keys.TryGetValue("select", out var sn) ? Selection(sn) : MetricSelection.Best;
        var overrides = Overrides(keys);

        if (Errors.Count > 0) return null;
        return new GridDocument
        {
            Name = name!, Model = model, Tasks = tasks, Methods = methods, Keep = keep, Classifiers = classifiers, Precisions = precisions,
            Distill = distillation.Modes, TeacherFolder = distillation.TeacherFolder, TeacherLabels = distillation.TeacherLabels, DistillTemperature = distillation.Temperature,
            AlphaKd = distillation.AlphaKd, AlphaCe = distillation.AlphaCe, DistilledMethods = distillation.Methods, Seeds = seeds, Training = training, Distributions = distributions, Search = search, Objectives = objectives, EarlyStopping = earlyStopping, Pool = pool,
            DevicesPerTrial = devices, MemoryPerTrial = memory, MaxConcurrentTrials = maxConcurrent, RetryLimit = retries, Select = select, Overrides = overrides,
        };
    }

    private IReadOnlyList<GridTask> Tasks(Dictionary<string, YamlNode> keys)
    {
        if (!keys.TryGetValue("tasks", out var node)) return Missing<GridTask>("tasks", "a list of tasks, e.g. [spam-assassin]");
        var items = node is YamlSequenceNode sequence ? sequence.Children.ToList() : [node];
        if (items.Count == 0) Fail(node.Start, "tasks", "is empty; expected at least one task");
        var tasks = new List<GridTask>();
        foreach (var item in items)
        {
            string? name = null;
            string? data = null;
            string? teacher = null;
            IReadOnlyList<string>? teacherLabels = null;
            YamlNode at = item;
            if (item is YamlScalarNode scalar) name = scalar.Value;
            else if (item is YamlMappingNode mapping)
            {
                var fields = Mapping(mapping, "tasks[]", ["name", "data", "teacher", "teacher_labels"]);
                name = RequiredString(fields, mapping, "name");
                data = OptionalString(fields, "data");
                if (fields.TryGetValue("data", out var dataNode)) at = dataNode;
                teacher = TeacherFolder(fields, "teacher", "tasks.teacher");
                teacherLabels = TeacherLabels(fields, "tasks.teacher_labels");
            }
            else
            {
                Fail(item.Start, "tasks", "expected a task name or a mapping with name and data");
                continue;
            }
            if (name is null) continue;
            if (!TaskCatalog.Names.Contains(name.ToLowerInvariant()) && GlueFormats.Find(name) is null)
            {
                Fail(item.Start, "tasks", $"unknown task {Shown(name)}, expected one of: {string.Join(", ", TaskCatalog.Names)}");
                continue;
            }
            var canonical = GlueFormats.Find(name)?.Name ?? name.ToLowerInvariant();
            if (data is not null)
            {
                data = InputFolder(data);
                if (checkPaths && InputKinds.Of(data) != InputKind.Folder) Fail(at.Start, "tasks.data", $"folder '{data}' does not exist");
            }
            else if (TaskCatalog.NeedsDataFolder(canonical))
            {
                Fail(item.Start, "tasks", $"task '{canonical}' needs a data folder: {{name: {canonical}, data: path/to/{canonical.ToUpperInvariant()}}}");
            }
            if (tasks.Any(t => t.Name == canonical && t.Data == data)) Fail(item.Start, "tasks", $"'{canonical}' is listed twice");
            tasks.Add(new GridTask(canonical, data, teacher, teacherLabels));
        }
        return tasks;
    }

    private (IReadOnlyList<bool> Modes, string? TeacherFolder, IReadOnlyList<string>? TeacherLabels, double Temperature, double AlphaKd, double AlphaCe, IReadOnlyList<PruningMethod>? Methods) Distillation(Dictionary<string, YamlNode> keys)
    {
        var (temperature, alphaKd, alphaCe) = (TrialSettings.DistillationTemperature.Value, TrialSettings.AlphaKd.Value, TrialSettings.AlphaCe.Value);
        if (!keys.TryGetValue("distillation", out var node)) return ([false], null, null, temperature, alphaKd, alphaCe, null);
        Func<YamlScalarNode, object?> Mode(string key) => n => n.Value switch { "off" => false, "teacher" => true, _ => Invalid<bool>(n, key, "off or teacher") };
        if (node is not YamlMappingNode mapping)
            return (ListOf<bool>(node, "distillation", Mode("distillation"), "off or teacher"), null, null, temperature, alphaKd, alphaCe, null);

        var fields = Mapping(mapping, "distillation", ["modes", "methods", "teacher_folder", "teacher_labels", .. TrialSettings.Distillation.Select(s => s.Field)]);
        var methods = fields.TryGetValue("methods", out var methodsNode)
            ? ListOf<PruningMethod>(methodsNode, "distillation.methods", n => ParseWith(n, "distillation.methods", PruningMethodFacts.Parse, PruningMethodFacts.ExpectedPruning) is { } m
                ? m == PruningMethod.Dense ? Invalid<bool>(n, "distillation.methods", $"{PruningMethodFacts.ExpectedPruning} (dense is the teacher)") : m
                : null, "a method name")
            : null;
        var modes = fields.TryGetValue("modes", out var modesNode) ? ListOf<bool>(modesNode, "distillation.modes", Mode("distillation.modes"), "off or teacher") : [true];
        var teacher = TeacherFolder(fields, "teacher_folder", "distillation.teacher_folder");
        var teacherLabels = TeacherLabels(fields, "distillation.teacher_labels");
        double Field(TrialSetting setting) =>
            fields.TryGetValue(setting.Field, out var n) ? Number(n, setting.Key, setting.Contains, setting.Expected) ?? setting.Value : setting.Value;
        (temperature, alphaKd, alphaCe) = (Field(TrialSettings.DistillationTemperature), Field(TrialSettings.AlphaKd), Field(TrialSettings.AlphaCe));
        if (alphaKd + alphaCe <= 0) Fail(mapping.Start, "distillation", "alpha_kd + alpha_ce is 0: the student would have no loss to learn from");
        return (modes, teacher, teacherLabels, temperature, alphaKd, alphaCe, methods);
    }

    /// <summary>A teacher folder, resolved against the grid's folder: a trial's output folder or a fine-tuned Hugging Face folder.</summary>
    private string? TeacherFolder(Dictionary<string, YamlNode> fields, string key, string name)
    {
        var teacher = OptionalString(fields, key);
        if (teacher is null) return null;
        teacher = InputFolder(teacher);
        bool Holds(string name) => InputKinds.Of(Path.Combine(teacher, name)) == InputKind.RegularFile;
        var isTrial = Holds(TrialArtifact.FileName);
        var isHuggingFace = Holds(ModelFolder.ConfigFileName) && Holds(ModelFolder.WeightsFileName);
        if (checkPaths && !isTrial && !isHuggingFace)
            Fail(fields[key].Start, name, $"'{teacher}' holds neither {TrialArtifact.FileName} (a dense trial's output folder) nor config.json and model.safetensors (a fine-tuned Hugging Face folder)");
        return teacher;
    }

    /// <summary>A trial folder given as a teacher must have been trained on this task, with its labels in this order.</summary>
    private void CheckTeacher(GridTask task, string? teacher, YamlNode at)
    {
        if (!checkPaths || teacher is null || InputKinds.Of(Path.Combine(teacher, TrialArtifact.FileName)) != InputKind.RegularFile) return;
        ArtifactIdentity recorded;
        try
        {
            recorded = ArtifactIdentity.Read(teacher);
        }
        catch (Exception e) when (e is ModelFormatException or InputFileException)
        {
            Fail(at.Start, "teacher", e.Message);
            return;
        }
        var expected = new ArtifactIdentity(task.Name, GlueFormats.Find(task.Name)?.LabelNames, null);
        if (recorded.MismatchWith(expected) is { } mismatch)
            Fail(at.Start, "teacher", $"'{teacher}' cannot teach {task.Name}: {mismatch}");
    }

    /// <summary>The teacher's label (name or output index) for each of the task's labels, in the task's order.</summary>
    private IReadOnlyList<string>? TeacherLabels(Dictionary<string, YamlNode> fields, string name)
    {
        if (!fields.TryGetValue(name[(name.LastIndexOf('.') + 1)..], out var node)) return null;
        if (node is not YamlSequenceNode sequence || sequence.Children.Count == 0 || sequence.Children.Any(c => c is not YamlScalarNode { Value.Length: > 0 }))
        {
            Fail(node.Start, name, "expected a list of the teacher's label names or output indices, one per task label, e.g. [entailment, neutral, contradiction]");
            return null;
        }
        return sequence.Children.Select(c => ((YamlScalarNode)c).Value!).ToList();
    }

    /// <summary>The training axes (a value or a list each) and the settings given as distributions (sampled by <c>search</c>).</summary>
    private (IReadOnlyDictionary<string, IReadOnlyList<double?>> Axes, IReadOnlyDictionary<string, Distribution> Distributions) Training(Dictionary<string, YamlNode> keys)
    {
        var fields = keys.TryGetValue("training", out var node)
            ? node is YamlMappingNode mapping ? Mapping(mapping, "training", TrainingKeys) : Mismatch(node, "training", "a mapping of training settings")
            : [];
        var result = new Dictionary<string, IReadOnlyList<double?>>();
        var distributions = new Dictionary<string, Distribution>();
        foreach (var (key, setting) in TrialSettings.Training)
        {
            if (!fields.TryGetValue(key, out var value))
            {
                result[key] = [setting.Default];
                continue;
            }
            if (value is YamlMappingNode distribution)
            {
                // Sampled: its axis holds the default until each sample sets it.
                if (ReadDistribution(distribution, setting) is { } read) distributions[key] = read;
                result[key] = [setting.Default];
                continue;
            }
            var expected = TrainingExpectation(key);
            result[key] = ListOf<double>(value, $"training.{key}", n => TrainingValue(n, key), expected).Select(v => (double?)v).ToList();
        }
        if (fields.TryGetValue("prune_steps", out var steps) && fields.ContainsKey("prune_hold_steps"))
            Fail(steps.Start, "training.prune_steps", "and prune_hold_steps both give the keep schedule's length; set one of them");
        return (result, distributions);
    }

    private static string TrainingExpectation(string key) => TrialSettings.Training[key].Expected;

    /// <summary>One training setting's value, checked against its range; null after recording why it is invalid.</summary>
    private object? TrainingValue(YamlScalarNode node, string key)
    {
        var range = TrialSettings.Training[key];
        return Number(node, $"training.{key}", range.Contains, range.Expected);
    }

    /// <summary>
    /// <c>overrides</c>: training settings for the cells that match, applied in order after the grid's own (a later
    /// override wins), e.g. the reference's schedule for keep 0.7 or its τ for one MNLI cell.
    /// </summary>
    private IReadOnlyList<GridOverride> Overrides(Dictionary<string, YamlNode> keys)
    {
        if (!keys.TryGetValue("overrides", out var node)) return [];
        if (node is not YamlSequenceNode sequence)
        {
            Mismatch(node, "overrides", "a list of {when: {...}, training: {...}}");
            return [];
        }
        var overrides = new List<GridOverride>();
        foreach (var item in sequence.Children)
        {
            if (item is not YamlMappingNode mapping)
            {
                Mismatch(item, "overrides", "a mapping with when and training");
                continue;
            }
            var fields = Mapping(mapping, "overrides[]", ["when", "training"]);
            var when = new Dictionary<string, IReadOnlyList<string>>();
            if (!fields.TryGetValue("when", out var whenNode)) Fail(mapping.Start, "overrides.when", "is required (the cells it applies to, e.g. {keep: 0.7})");
            else if (whenNode is not YamlMappingNode whenMapping) Mismatch(whenNode, "overrides.when", $"a mapping of {string.Join(", ", OverrideMatchKeys)}");
            else
                foreach (var (key, value) in Mapping(whenMapping, "overrides.when", OverrideMatchKeys))
                    when[key] = ListOf<string>(value, $"overrides.when.{key}", n => MatchValue(n, key), MatchExpectation(key));
            var training = new Dictionary<string, double?>();
            if (!fields.TryGetValue("training", out var trainingNode)) Fail(mapping.Start, "overrides.training", "is required (the settings those cells take)");
            else if (trainingNode is not YamlMappingNode trainingMapping) Mismatch(trainingNode, "overrides.training", "a mapping of training settings");
            else
                foreach (var (key, value) in Mapping(trainingMapping, "overrides.training", TrainingKeys))
                {
                    if (value is YamlScalarNode { Value: "null" or "~" } unset)
                    {
                        if (TrialSettings.Training[key].Default is null) training[key] = null;
                        else Fail(unset.Start, $"overrides.training.{key}", $"cannot be unset; expected {TrainingExpectation(key)}");
                    }
                    else if (value is YamlScalarNode scalar) training[key] = TrainingValue(scalar, key) as double?;
                    else Mismatch(value, $"overrides.training.{key}", TrainingExpectation(key) + " (one value: an override is not an axis)");
                }
            if (training.ContainsKey("prune_steps") && training.ContainsKey("prune_hold_steps"))
                Fail(mapping.Start, "overrides.training", "prune_steps and prune_hold_steps both give the keep schedule's length; set one of them");
            overrides.Add(new GridOverride(when, training, (int)mapping.Start.Line, (int)mapping.Start.Column));
        }
        return overrides;
    }

    private MetricSelection Selection(YamlNode node) => (node as YamlScalarNode)?.Value switch
    {
        "best" => MetricSelection.Best,
        "final" => MetricSelection.Final,
        _ => Invalid<MetricSelection>(node, "select", "best (the best dev evaluation, as the reference reports) or final (after the last step)") ?? MetricSelection.Best,
    };

    private static string MatchExpectation(string key) => key switch
    {
        "keep" => KeepExpected,
        "distillation" => "off or teacher",
        "classifier" => ClassifierModeNames.Expected,
        "method" => PruningMethodFacts.Expected,
        "precision" => PrecisionNames.Expected,
        _ => "a task name",
    };

    /// <summary>A value of an override's <c>when</c>, in the canonical spelling the expanded trials use.</summary>
    private object? MatchValue(YamlScalarNode node, string key) => key switch
    {
        "keep" => Number(node, "overrides.when.keep", TrialSettings.Keep.Contains, MatchExpectation(key))?.ToString("R", CultureInfo.InvariantCulture),
        "distillation" => node.Value is "off" or "teacher" ? node.Value : Invalid<bool>(node, "overrides.when.distillation", MatchExpectation(key)),
        "classifier" => ParseWith(node, "overrides.when.classifier", ClassifierModeNames.Parse, MatchExpectation(key))?.ToName(),
        "method" => ParseWith(node, "overrides.when.method", PruningMethodFacts.Parse, MatchExpectation(key))?.ToName(),
        "precision" => ParseWith(node, "overrides.when.precision", PrecisionNames.Parse, MatchExpectation(key))?.ToName(),
        _ => GlueFormats.Find(node.Value ?? "")?.Name ?? (node.Value ?? "").ToLowerInvariant(),
    };

    private (string Pool, int Devices, long? Memory) Resources(Dictionary<string, YamlNode> keys)
    {
        if (!keys.TryGetValue("resources", out var node)) return ("default", 1, null);
        if (node is not YamlMappingNode mapping)
        {
            Mismatch(node, "resources", "a mapping with pool, devices_per_trial and memory");
            return ("default", 1, null);
        }
        var fields = Mapping(mapping, "resources", ["pool", "devices_per_trial", "memory"]);
        var pool = OptionalString(fields, "pool") ?? "default";
        // A trial trains on one device; a larger number would be accepted and silently ignored, so it is refused.
        var devices = fields.TryGetValue("devices_per_trial", out var d) ? Integer(d, "resources.devices_per_trial", v => v == 1, "1 (a trial trains on one device; more are not supported yet)") ?? 1 : 1;
        long? memory = null;
        if (fields.TryGetValue("memory", out var m))
        {
            memory = m is YamlScalarNode scalar ? MemorySize.TryParse(scalar.Value) : null;
            if (memory is null) Fail(m.Start, "resources.memory", $"expected {MemorySize.Expected}");
        }
        return (pool, devices, memory);
    }

    /// <summary>A built-in model's canonical name, or the folder's real path resolved against the grid's folder.</summary>
    private string Model(string model, YamlNode at)
    {
        if (BuiltInModels.Canonical(model) is { } builtIn) return builtIn;
        var path = InputFolder(model);
        if (checkPaths && InputKinds.Of(Path.Combine(path, ModelFolder.ConfigFileName)) != InputKind.RegularFile)
            Fail(at.Start, "model", $"{Shown(model)} is neither a built-in model ({string.Join(", ", BuiltInModels.Names)}) nor a model folder with config.json");
        return path;
    }

    /// <summary>Every max_length must fit the model's positions (checked here only where the model folder can be read).</summary>
    private void CheckMaxLength(string model, IReadOnlyList<double?> maxLengths, YamlNode at)
    {
        int positions;
        if (BuiltInModels.Canonical(model) is not null) positions = BuiltInModels.MiniLmPositions;
        else if (!checkPaths || InputKinds.Of(Path.Combine(model, ModelFolder.ConfigFileName)) != InputKind.RegularFile) return;
        else
        {
            try
            {
                positions = BertConfig.Load(Path.Combine(model, ModelFolder.ConfigFileName)).MaxPositionEmbeddings;
            }
            catch (Exception e) when (e is ModelFormatException or InputFileException)
            {
                Fail(at.Start, "model", e.Message);
                return;
            }
        }
        foreach (var length in maxLengths.OfType<double>().Where(l => l > positions))
            Fail(at.Start, "training.max_length", $"{length} is longer than the model's {positions} positions (max_position_embeddings)");
    }

    /// <summary>
    /// A folder named in the grid, resolved once against the grid file's folder (never the working folder) to its real
    /// path: every trial carries it resolved, and "x", "x/" and a link to x are one folder.
    /// </summary>
    private string InputFolder(string path) => RealPath.Of(Path.Combine(folder, path));
}
