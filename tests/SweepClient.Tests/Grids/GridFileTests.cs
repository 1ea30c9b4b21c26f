using Sweeps.SweepClient.Grids;
using Sweeps.Testing;

namespace Sweeps.SweepClient.Tests.Grids;

public sealed class GridFileTests : IDisposable
{
    private readonly TemporaryFolder folder = new("sweeps-grid-");

    public void Dispose() => folder.Dispose();

    private string Grid(string yaml) => folder.Write($"{Guid.NewGuid():N}.yaml", yaml);

    [Fact]
    public void Load_DefaultExample_ExpandsToDenseAndSmpSWithAndWithoutKdOverThreeSeeds()
    {
        var example = Path.Combine(AppContext.BaseDirectory, "examples", "grid.yaml");

        var sweep = GridFile.Load(example);

        Assert.Equal("spam-smp", sweep.Name);
        Assert.Equal(9, sweep.Trials.Count);
        Assert.Equal(3, sweep.Trials.Count(t => t.Method == "dense"));
        Assert.Equal(9, sweep.Trials.Select(t => t.Id).Distinct().Count());
    }

    [Fact]
    public void Load_PrecisionExample_ThreeBf16TrialsBesideTheDefaultSweepsThreeSmpSTrials()
    {
        var precision = GridFile.Load(Path.Combine(AppContext.BaseDirectory, "examples", "precision-spam.yaml"));
        var defaults = GridFile.Load(Path.Combine(AppContext.BaseDirectory, "examples", "grid.yaml"));

        Assert.Equal(6, precision.Trials.Count);
        var fp32 = precision.Trials.Where(t => t.Precision is null).Select(t => t.Id).ToHashSet();
        Assert.Equal(defaults.Trials.Where(t => t.Method == "smp-s" && t.Distillation is null).Select(t => t.Id).ToHashSet(), fp32);
        Assert.Equal(3, precision.Trials.Count(t => t.Precision == "bf16"));
    }

    [Fact]
    public void Load_PrecisionAxis_Bf16TrialsBesideTheFp32OnesWhoseIdsAreUnchanged()
    {
        const string body = "tasks: [spam-assassin]\nmethods: [smp-s]\nkeep: [0.5]\ndistillation: [off, teacher]\nseeds: [1, 2]\n";
        var without = GridFile.Load(Grid("name: x\n" + body));

        var with = GridFile.Load(Grid("name: x\n" + body + "precision: [fp32, bf16]\n"));

        // Per precision: 2 seeds x (off, teacher) students and each seed's dense teacher.
        Assert.Equal(2 * without.Trials.Count, with.Trials.Count);
        Assert.Equal(without.Trials.Select(t => t.Id).ToHashSet(), with.Trials.Where(t => t.Precision is null).Select(t => t.Id).ToHashSet());
        var bf16 = with.Trials.Where(t => t.Precision == "bf16").ToList();
        Assert.Equal(without.Trials.Count, bf16.Count);
        var teachers = bf16.Where(t => t.Method == "dense").Select(t => t.Id).ToHashSet();
        Assert.All(bf16.Where(t => t.Distillation is not null), t => Assert.Contains(t.Distillation!.TeacherTrialId!, teachers));
        Assert.All(bf16, t => Assert.Contains(" bf16 seed", t.Label));
    }

    [Fact]
    public void Load_OverrideWhenPrecision_AppliesToThatPrecisionsTrialsAndTheirTeacher()
    {
        var sweep = GridFile.Load(Grid("""
            name: x
            tasks: [spam-assassin]
            methods: [smp-s]
            keep: [0.5]
            distillation: [teacher]
            precision: [fp32, bf16]
            training: {epochs: 3}
            overrides:
              - when: {precision: BF16}
                training: {epochs: 4}
            """));

        Assert.Equal(4, sweep.Trials.Count); // a student and its dense teacher per precision
        Assert.All(sweep.Trials, t => Assert.Equal(t.Precision == "bf16" ? 4.0 : 3.0, t.Training.Epochs));
    }

    [Fact]
    public void Load_PaperSquadExample_PlansThirtyNineSpanTrialsOnTheMaskedLmHeadWithTheReferenceSchedules()
    {
        var example = Path.Combine(AppContext.BaseDirectory, "examples", "paper-squad.yaml");

        var planned = GridFile.Load(example, new GridLimits(CheckPaths: false));

        // (2 methods x 3 keep fractions x (off, teacher) + the dense teacher) x 3 seeds.
        Assert.Equal(39, planned.Trials.Count);
        Assert.All(planned.Trials.Where(t => t.Keep == 0.03), t => Assert.Equal((20.0, (int?)22650, (int?)27660, (int?)null),
            (t.Training.Epochs, t.Training.PruneSteps, t.Training.LambdaSteps, t.Training.PruneHoldSteps)));
        Assert.All(planned.Trials.Where(t => t.Method == "smp-s" && t.Keep == 0.5 && t.Distillation is null),
            t => Assert.Equal((4.0, (int?)5000), (t.Training.Temperature!.Value, t.Training.PruneSteps)));
        Assert.All(planned.Trials.Where(t => t.Keep is 0.1 or 1.0), t => Assert.Equal((10.0, (int?)5000), (t.Training.Epochs, t.Training.PruneHoldSteps)));
        Assert.All(planned.Trials, t => Assert.Equal(("squad", "/inputs/squad", "mlm", 384), (t.Task, t.Data, t.Classifier, t.Training.MaxLength)));
        Assert.Equal(3, planned.Trials.Count(t => t.Method == "dense"));
        Assert.Throws<GridValidationException>(() => GridFile.Load(example));
    }

    [Fact]
    public void Load_StudyExample_ThirtyNineTrialsThatIncludeEveryTrialOfTheDefaultSweep_EvaluatedMoreOften()
    {
        var study = GridFile.Load(Path.Combine(AppContext.BaseDirectory, "examples", "study-spam.yaml"));
        var defaults = GridFile.Load(Path.Combine(AppContext.BaseDirectory, "examples", "grid.yaml"));
        // The study evaluates through the keep schedule; in every other setting its trials are the default sweep's (a
        // student's teacher is named by id, which the evaluation settings change, so cells are compared, not ids).
        static object Cell(Sweeps.Grains.Interfaces.Sweeps.TrialSpec t) => (t.Task, t.Model, t.Method, t.Keep, t.Classifier, t.Seed, t.Distillation is null,
            t.Training with { EvalEvery = null, EvalFrom = null });

        Assert.Equal(39, study.Trials.Count);
        Assert.All(study.Trials, t => Assert.Equal((24, 0), (t.Training.EvalEvery, t.Training.EvalFrom)));
        Assert.Subset(study.Trials.Select(Cell).ToHashSet(), defaults.Trials.Select(Cell).ToHashSet());
        Assert.All(study.Trials.Where(t => t.Method is "magnitude" or "movement"), t => Assert.Null(t.Distillation));
    }

    [Fact]
    public void Load_TaskWithItsOwnTeacherFolder_DistilsFromItWithItsLabelOrderAndAddsNoDenseTrial()
    {
        folder.Write("sst2/train.tsv", "sentence\tlabel\n");
        folder.Write("teachers/sst2/config.json", "{}");
        folder.Write("teachers/sst2/model.safetensors", "");
        var path = Grid("""
            name: x
            tasks:
              - {name: sst2, data: sst2, teacher: teachers/sst2, teacher_labels: [LABEL_1, LABEL_0]}
            methods: [smp-s]
            keep: [0.5, 0.1]
            distillation: [teacher]
            """);

        var sweep = GridFile.Load(path);

        Assert.Equal(2, sweep.Trials.Count);
        Assert.All(sweep.Trials, t =>
        {
            Assert.Equal(Path.Combine(folder.Path, "teachers", "sst2"), t.Distillation!.TeacherFolder);
            Assert.Null(t.Distillation.TeacherTrialId);
            Assert.Equal(["LABEL_1", "LABEL_0"], t.Distillation.TeacherLabels!);
        });
    }

    [Fact]
    public void Load_PaperGlueExampleWithoutItsFolders_PlansItsTrialsButRefusesToSubmit()
    {
        var example = Path.Combine(AppContext.BaseDirectory, "examples", "paper-glue.yaml");

        var planned = GridFile.Load(example, new GridLimits(CheckPaths: false));
        var submitted = Assert.Throws<GridValidationException>(() => GridFile.Load(example));

        // (3 tasks x 2 methods x 3 keep fractions x (off, teacher) + one dense teacher per task) x 3 seeds.
        Assert.Equal(117, planned.Trials.Count);
        Assert.Equal(9, planned.Trials.Count(t => t.Method == "dense"));
        Assert.All(planned.Trials.Where(t => t.Task is "mnli" or "qqp"), t => Assert.Equal(30000, t.Training.PruneHoldSteps));
        Assert.All(planned.Trials.Where(t => t.Task == "sst2"), t => Assert.Null(t.Training.PruneHoldSteps));
        Assert.Equal(3, planned.Trials.Count(t => t.Training.Temperature == 3));
        Assert.All(planned.Trials, t => Assert.Equal("mlm", t.Classifier));
        Assert.Contains(submitted.Errors, e => e.ToString().Contains("model"));
        Assert.Contains(submitted.Errors, e => e.ToString().Contains("glue/MNLI") || e.ToString().Contains("MNLI"));
    }

    [Fact]
    public void Load_ListValuedTrainingSetting_BecomesAnAxis()
    {
        var sweep = GridFile.Load(Grid("name: x\ntasks: [spam-assassin]\nmethods: smp-s\nkeep: [0.5, 0.1]\nseeds: [1, 2]\ntraining:\n  head_lr: [1e-3, 3e-3, 1e-2]\n"));

        Assert.Equal(2 * 2 * 3, sweep.Trials.Count);
        Assert.Equal([1e-3, 3e-3, 1e-2], sweep.Trials.Select(t => t.Training.HeadLearningRate).Distinct().Order());
    }

    [Fact]
    public void Load_DistillationFromTeacher_AddsOneSharedDenseTeacherBeforeItsStudents()
    {
        var sweep = GridFile.Load(Grid("name: x\ntasks: [spam-assassin]\nmethods: [smp-s, smp-l]\nkeep: [0.5, 0.1]\ndistillation: [off, teacher]\n"));

        var teachers = sweep.Trials.Where(t => t.Method == "dense").ToList();
        var teacher = Assert.Single(teachers);
        var students = sweep.Trials.Where(t => t.Distillation is not null).ToList();
        Assert.Equal(4, students.Count);
        Assert.All(students, s => Assert.Equal(teacher.Id, s.Distillation!.TeacherTrialId));
        Assert.True(sweep.Trials.ToList().IndexOf(teacher) < students.Min(s => sweep.Trials.ToList().IndexOf(s)));
        Assert.Equal(1 + 8, sweep.Trials.Count);
    }

    [Fact]
    public void TrialId_SameConfigurationInAnotherGrid_SameId()
    {
        var a = GridFile.Load(Grid("name: a\ntasks: [spam-assassin]\nmethods: smp-s\nkeep: [0.5, 0.1]\n"));
        var b = GridFile.Load(Grid("name: b\ntasks: [spam-assassin]\nmethods: [smp-l, smp-s]\nkeep: [0.1, 0.03]\n"));

        var shared = a.Trials.Select(t => t.Id).Intersect(b.Trials.Select(t => t.Id)).ToList();
        Assert.Single(shared);
    }

    [Fact]
    public void Load_Overrides_ApplyToTheCellsTheyMatchInOrder_AndShareTheDenseTeacher()
    {
        var sweep = GridFile.Load(Grid("""
            name: x
            tasks: [spam-assassin]
            methods: [smp-s, smp-l]
            keep: [0.7, 0.5]
            distillation: [off, teacher]
            training:
              epochs: 3
              prune_hold_steps: 100
            overrides:
              - when: {keep: 0.7}
                training: {prune_steps: 5250}
              - when: {method: smp-s, keep: [0.5], distillation: off}
                training: {temperature: 3, epochs: 4}
              - when: {method: smp-s, keep: 0.5, distillation: off}
                training: {epochs: 5}
            """));

        var trial = (string method, double keep, bool kd) => sweep.Trials.Single(t => t.Method == method && t.Keep == keep && (t.Distillation is not null) == kd);
        Assert.All(sweep.Trials.Where(t => t.Keep == 0.7), t => Assert.Equal((5250, (int?)null), (t.Training.PruneSteps!.Value, t.Training.PruneHoldSteps)));
        Assert.Equal((3.0, 5.0, (int?)100), (trial("smp-s", 0.5, false).Training.Temperature!.Value, trial("smp-s", 0.5, false).Training.Epochs, trial("smp-s", 0.5, false).Training.PruneHoldSteps));
        Assert.Equal((null, 3.0), (trial("smp-s", 0.5, true).Training.Temperature, trial("smp-s", 0.5, true).Training.Epochs));
        var teacher = Assert.Single(sweep.Trials, t => t.Method == "dense");
        Assert.Equal(100, teacher.Training.PruneHoldSteps);
        Assert.All(sweep.Trials.Where(t => t.Distillation is not null), t => Assert.Equal(teacher.Id, t.Distillation!.TeacherTrialId));
    }

    [Fact]
    public void Load_DistillationForSomeMethods_TheOthersRunWithoutATeacherOnly()
    {
        var sweep = GridFile.Load(Grid("name: x\ntasks: [spam-assassin]\nmethods: [movement, smp-s]\nkeep: [0.5]\ndistillation:\n  modes: [off, teacher]\n  methods: [smp-s]\n"));

        Assert.Single(sweep.Trials, t => t.Method == "movement");
        Assert.Null(sweep.Trials.Single(t => t.Method == "movement").Distillation);
        Assert.Equal(2, sweep.Trials.Count(t => t.Method == "smp-s"));
        Assert.Single(sweep.Trials, t => t.Method == "dense");
    }

    [Fact]
    public void Load_SelectAndTrainingKeysOfTheReference_ReachTheTrials()
    {
        var sweep = GridFile.Load(Grid("name: x\ntasks: [spam-assassin]\nkeep: [0.5]\nselect: final\ntraining:\n  max_grad_norm: 0\n  eval_every: 50\n  lambda_steps: 300\n"));

        var trial = Assert.Single(sweep.Trials);
        Assert.Equal(Sweeps.Grains.Interfaces.Sweeps.MetricSelection.Final, sweep.Select);
        Assert.Equal((0.0, (int?)50, (int?)300), (trial.Training.MaxGradNorm, trial.Training.EvalEvery, trial.Training.LambdaSteps));
    }

    [Fact]
    public void Load_TheBaselinesReferenceSettings_ReachTheTrials_AndUnsetOnesStayOutOfTheId()
    {
        var set = GridFile.Load(Grid("name: x\ntasks: [spam-assassin]\nmethods: [movement]\nkeep: [0.5]\ntraining:\n  warmup_steps: 20\n  initial_warmup: 0.5\n  final_warmup: 1\n  pooler: 0\n  head_init_std: 0.05\n  transformers_adamw: 0\n"));
        var unset = GridFile.Load(Grid("name: x\ntasks: [spam-assassin]\nmethods: [movement]\nkeep: [0.5]\n"));

        var training = Assert.Single(set.Trials).Training;
        Assert.Equal(((double?)null, (int?)20, (double?)0.5, (double?)1, (int?)0, (double?)0.05, (int?)0),
            (training.WarmupFraction, training.WarmupSteps, training.InitialWarmup, training.FinalWarmup, training.Pooler, training.HeadInitStd, training.TransformersAdamW));
        var json = Assert.Single(unset.Trials).CanonicalJson();
        Assert.DoesNotContain("Warmup", json); // null: the method's reference, and the id trials had before these settings
        Assert.DoesNotContain("Pooler", json);
    }

    [Fact]
    public void Load_EvalFrom_ReachesTheTrial_AndUnsetStaysOutOfTheId()
    {
        var set = GridFile.Load(Grid("name: x\ntasks: [spam-assassin]\nkeep: [0.5]\ntraining:\n  eval_every: 24\n  eval_from: 0\n"));
        var unset = GridFile.Load(Grid("name: x\ntasks: [spam-assassin]\nkeep: [0.5]\ntraining:\n  eval_every: 24\n"));

        Assert.All(set.Trials, t => Assert.Equal(0, t.Training.EvalFrom));
        Assert.All(unset.Trials, t => Assert.DoesNotContain("EvalFrom", t.CanonicalJson()));
        Assert.Empty(set.Trials.Select(t => t.Id).Intersect(unset.Trials.Select(t => t.Id)));
    }

    [Theory]
    [InlineData("  warmup_fraction: 0.1\n  warmup_steps: 20\n", "warmup_fraction = 0.1 with warmup_steps = 20")]
    [InlineData("  final_warmup: 2\n  prune_steps: 40\n", "final_warmup = 2 with prune_steps = 40")]
    public void Load_OneLengthGivenTwoWays_IsRefusedAtSubmission(string training, string expected)
    {
        var error = Assert.Throws<GridValidationException>(() => GridFile.Load(Grid("name: x\ntasks: [spam-assassin]\nmethods: [movement]\nkeep: [0.5]\ntraining:\n" + training)));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Load_NoSelect_DefaultsToTheBestEvaluationAndClipsAtOne()
    {
        var sweep = GridFile.Load(Grid("name: x\ntasks: [spam-assassin]\nkeep: [0.5]\n"));

        Assert.Equal(Sweeps.Grains.Interfaces.Sweeps.MetricSelection.Best, sweep.Select);
        Assert.Equal(1.0, Assert.Single(sweep.Trials).Training.MaxGradNorm);
    }

    public static TheoryData<string, string, string> BadGrids => new()
    {
        // yaml, the key the error names, a fragment of the message
        { "name: x\ntasks: [spam-assassin]\nkeep: [0.5\n", "syntax", "" },
        { "name: x\ntasks: [spam-assassin]\nkeep: [0.5]\nspeed: fast\n", "speed", "unknown key" },
        { "name: x\ntasks: [spam-assassin]\nkeep: [1.5]\n", "keep", "(0, 1]" },
        { "name: x\ntasks: [spam-assassin]\nkeep: [0]\n", "keep", "(0, 1]" },
        { "name: x\ntasks: [spam-assassin]\nkeep: []\n", "keep", "empty" },
        { "name: x\ntasks: [spam-assassin]\nkeep: [0.5, 0.5]\n", "keep", "twice" },
        { "name: x\ntasks: [spam-assassin]\nkeep: [half]\n", "keep", "'half'" },
        { "name: x\ntasks: [sst3]\nkeep: [0.5]\n", "tasks", "unknown task 'sst3'" },
        { "name: x\ntasks: [sst2]\nkeep: [0.5]\n", "tasks", "needs a data folder" },
        { "name: x\ntasks: [{name: sst2, data: no/such/folder}]\nkeep: [0.5]\n", "tasks.data", "does not exist" },
        { "name: x\ntasks: [squad]\nkeep: [0.5]\n", "tasks", "needs a data folder" },
        { "name: x\ntasks: [{name: sst2, data: ., teacher: no/such/teacher}]\nkeep: [0.5]\n", "tasks.teacher", "nor config.json and model.safetensors" },
        { "name: x\ntasks: [{name: sst2, data: ., teacher_labels: yes}]\nkeep: [0.5]\n", "tasks.teacher_labels", "a list of the teacher's label names" },
        { "name: x\ntasks: [spam-assassin]\nkeep: [0.5]\ndistillation:\n  teacher_labels: []\n", "distillation.teacher_labels", "one per task label" },
        { "name: x\ntasks: [spam-assassin]\nmethods: [pruning]\nkeep: [0.5]\n", "methods", "smp-s" },
        { "name: x\ntasks: [spam-assassin]\nkeep: [0.5]\nclassifier: softmax\n", "classifier", "linear or mlm" },
        { "name: x\ntasks: [spam-assassin]\nkeep: [0.5]\nprecision: fp16\n", "precision", "fp32 or bf16" },
        { "name: x\ntasks: [spam-assassin]\nkeep: [0.5]\nseeds: [-1]\n", "seeds", "non-negative integer" },
        { "name: x\ntasks: [spam-assassin]\nkeep: [0.5]\ntraining:\n  batch_size: 0\n", "training.batch_size", "positive integer" },
        { "name: x\ntasks: [spam-assassin]\nkeep: [0.5]\ntraining:\n  epoch: 3\n", "epoch", "unknown key" },
        { "name: x\ntasks: [spam-assassin]\nkeep: [0.5]\ndistillation: maybe\n", "distillation", "off or teacher" },
        { "name: x\ntasks: [spam-assassin]\nkeep: [0.5]\nmodel: no-such-model\n", "model", "neither a built-in model" },
        { "tasks: [spam-assassin]\nkeep: [0.5]\n", "name", "required" },
        { "name: x\nkeep: [0.5]\n", "tasks", "required" },
        { "name: x\ntasks: [spam-assassin]\n", "keep", "required" },
        { "- just\n- a list\n", "file", "mapping" },
        { "name: x\ntasks: [spam-assassin]\nkeep: &k [0.5]\nseeds: *k\n", "*k", "aliases are not allowed" },
        { "name: x\ntasks: [spam-assassin]\nkeep: [0.5]\nretry_limit: many\n", "retry_limit", "0 to 100" },
        { "name: x\ntasks: [spam-assassin]\nkeep: [0.5]\nresources:\n  devices_per_trial: 0\n", "resources.devices_per_trial", "a trial trains on one device" },
        { "name: x\nname: y\ntasks: [spam-assassin]\nkeep: [0.5]\n", "syntax", "Duplicate key" },
        { "name: x\n\ttasks: [spam-assassin]\nkeep: [0.5]\n", "syntax", "" },
        { "name: x\ntasks: [spam-assassin]\nkeep: [-0.5]\n", "keep", "(0, 1]" },
        { "name: x\ntasks: [spam-assassin]\nkeep: [.nan]\n", "keep", "'.nan'" },
        { "name: x\ntasks: [spam-assassin]\nkeep: [NaN]\n", "keep", "'NaN'" },
        { "name: x\ntasks: [spam-assassin]\nkeep: [Infinity]\n", "keep", "'Infinity'" },
        { "name: x\ntasks: [spam-assassin]\nkeep: {a: 1}\n", "keep", "expected a keep fraction" },
        { "name: x\ntasks: []\nkeep: [0.5]\n", "tasks", "empty" },
        { "name: x\ntasks: [spam-assassin, spam-assassin]\nkeep: [0.5]\n", "tasks", "listed twice" },
        { "name: x\ntasks: [\"\"]\nkeep: [0.5]\n", "tasks", "unknown task ''" },
        { "name: x\ntasks: [[spam-assassin]]\nkeep: [0.5]\n", "tasks", "a task name or a mapping" },
        { "name: x\ntasks: [{name: sst2}]\nkeep: [0.5]\n", "tasks", "needs a data folder" },
        { "name: x\ntasks: [{data: somewhere}]\nkeep: [0.5]\n", "name", "required" },
        { "name: x\ntasks: [{name: spam-assassin, colour: red}]\nkeep: [0.5]\n", "colour", "unknown key" },
        { "name: x\ntasks: [spam-assassin]\nmethods: []\nkeep: [0.5]\n", "methods", "empty" },
        { "name: x\ntasks: [spam-assassin]\nmethods: [smp-s, smp-s]\nkeep: [0.5]\n", "methods", "listed twice" },
        { "name: x\ntasks: [spam-assassin]\nkeep: [0.5]\nclassifier: [linear, linear]\n", "classifier", "listed twice" },
        { "name: x\ntasks: [spam-assassin]\nkeep: [0.5]\nseeds: [1.5]\n", "seeds", "non-negative integer" },
        { "name: x\ntasks: [spam-assassin]\nkeep: [0.5]\nseeds: [1, 1]\n", "seeds", "listed twice" },
        { "name: x\ntasks: [spam-assassin]\nkeep: [0.5]\nseeds: [99999999999]\n", "seeds", "non-negative integer" },
        { "name: x\ntasks: [spam-assassin]\nkeep: [0.5]\ntraining:\n  epochs: -1\n", "training.epochs", "positive number" },
        { "name: x\ntasks: [spam-assassin]\nkeep: [0.5]\ntraining:\n  epochs: [1, 1]\n", "training.epochs", "listed twice" },
        { "name: x\ntasks: [spam-assassin]\nkeep: [0.5]\ntraining:\n  max_length: 100000\n", "training.max_length", "8 to 4096" },
        { "name: x\ntasks: [spam-assassin]\nkeep: [0.5]\ntraining:\n  batch_size: [8, 0]\n", "training.batch_size", "positive integer" },
        { "name: x\ntasks: [spam-assassin]\nkeep: [0.5]\ntraining:\n  batch_size: []\n", "training.batch_size", "empty" },
        { "name: x\ntasks: [spam-assassin]\nkeep: [0.5]\ntraining: 5\n", "training", "mapping" },
        { "name: x\ntasks: [spam-assassin]\nkeep: [0.5]\nresources:\n  pool: \"\"\n", "pool", "non-empty string" },
        { "name: x\ntasks: [spam-assassin]\nkeep: [0.5]\nresources:\n  pool: [a, b]\n", "pool", "non-empty string" },
        { "name: x\ntasks: [spam-assassin]\nkeep: [0.5]\nresources:\n  gpus: 1\n", "gpus", "unknown key" },
        { "name: x\ntasks: [spam-assassin]\nkeep: [0.5]\nresources: gpu\n", "resources", "mapping" },
        { "name: x\ntasks: [spam-assassin]\nkeep: [0.5]\nmax_concurrent_trials: -1\n", "max_concurrent_trials", "non-negative" },
        { "name: x\ntasks: [spam-assassin]\nkeep: [0.5]\nretry_limit: 101\n", "retry_limit", "0 to 100" },
        { "name: \"\"\ntasks: [spam-assassin]\nkeep: [0.5]\n", "name", "non-empty string" },
        { "name: [a]\ntasks: [spam-assassin]\nkeep: [0.5]\n", "name", "non-empty string" },
        { "name: ../../etc\ntasks: [spam-assassin]\nkeep: [0.5]\n", "name", "letters, digits" },
        { "name: x\ntasks: [spam-assassin]\nkeep: [0.5]\ndistillation:\n  teacher_folder: no/such/teacher\n", "distillation.teacher_folder", "holds neither" },
        { "name: x\ntasks: [spam-assassin]\nkeep: [0.5]\ndistillation:\n  temperature: 0\n", "distillation.temperature", "positive number" },
        { "name: x\ntasks: [spam-assassin]\nkeep: [0.5]\ndistillation:\n  modes: [sometimes]\n", "distillation.modes", "off or teacher" },
        { "name: x\ntasks: [spam-assassin]\nkeep: [0.5]\ndistillation:\n  alpha_kd: 0\n  alpha_ce: 0\n", "distillation", "alpha_kd + alpha_ce" },
        { "name: x\ntasks: [spam-assassin]\nkeep: [0.5]\nmodel: 42\n", "model", "neither a built-in model" },
        { "", "file", "one YAML document" },
        { "name: a\ntasks: [spam-assassin]\nkeep: [0.5]\n---\nname: b\n", "file", "one YAML document" },
        { "name: x\ntasks: [spam-assassin]\nkeep: [0.5]\na: &a [x, x, x, x]\nb: &b [*a, *a, *a, *a]\nc: [*b, *b, *b, *b]\n", "*a", "aliases are not allowed" },
        { "name: x\ntasks: [spam-assassin]\nkeep: [0.5]\ndistillation:\n  methods: [dense]\n", "distillation.methods", "dense is the teacher" },
        { "name: x\ntasks: [spam-assassin]\nkeep: [0.5]\nselect: last\n", "select", "best (the best dev evaluation" },
        { "name: x\ntasks: [spam-assassin]\nkeep: [0.5]\ntraining:\n  max_grad_norm: -1\n", "training.max_grad_norm", "0: no clipping" },
        { "name: x\ntasks: [spam-assassin]\nkeep: [0.5]\ntraining:\n  eval_every: 0\n", "training.eval_every", "positive integer" },
        { "name: x\ntasks: [spam-assassin]\nkeep: [0.5]\ntraining:\n  prune_steps: 2.5\n", "training.prune_steps", "positive integer" },
        { "name: x\ntasks: [spam-assassin]\nkeep: [0.5]\ntraining:\n  prune_steps: 100\n  prune_hold_steps: 50\n", "training.prune_steps", "set one of them" },
        { "name: x\ntasks: [spam-assassin]\nkeep: [0.5]\noverrides: {keep: 0.5}\n", "overrides", "a list of {when" },
        { "name: x\ntasks: [spam-assassin]\nkeep: [0.5]\noverrides:\n  - training: {epochs: 2}\n", "overrides.when", "is required" },
        { "name: x\ntasks: [spam-assassin]\nkeep: [0.5]\noverrides:\n  - when: {keep: 0.5}\n", "overrides.training", "is required" },
        { "name: x\ntasks: [spam-assassin]\nkeep: [0.5]\noverrides:\n  - when: {sparsity: 0.5}\n    training: {epochs: 2}\n", "sparsity", "unknown key" },
        { "name: x\ntasks: [spam-assassin]\nkeep: [0.5]\noverrides:\n  - when: {keep: 2}\n    training: {epochs: 2}\n", "overrides.when.keep", "(0, 1]" },
        { "name: x\ntasks: [spam-assassin]\nkeep: [0.5]\noverrides:\n  - when: {method: pruning}\n    training: {epochs: 2}\n", "overrides.when.method", "smp-s" },
        { "name: x\ntasks: [spam-assassin]\nkeep: [0.5]\noverrides:\n  - when: {precision: fp16}\n    training: {epochs: 2}\n", "overrides.when.precision", "fp32 or bf16" },
        { "name: x\ntasks: [spam-assassin]\nkeep: [0.5]\noverrides:\n  - when: {keep: 0.5}\n    training: {epochs: [2, 3]}\n", "overrides.training.epochs", "not an axis" },
        { "name: x\ntasks: [spam-assassin]\nkeep: [0.5]\noverrides:\n  - when: {keep: 0.5}\n    training: {epochs: null}\n", "overrides.training.epochs", "cannot be unset" },
        { "name: x\ntasks: [spam-assassin]\nkeep: [0.5]\noverrides:\n  - when: {keep: 0.5}\n    training: {speed: 2}\n", "speed", "unknown key" },
        { "name: x\ntasks: [spam-assassin]\nkeep: [0.5]\noverrides:\n  - when: {keep: 0.7}\n    training: {prune_steps: 5250}\n", "overrides", "matches no trial" },
        { "name: x\ntasks: [spam-assassin]\nkeep: " + new string('[', 5000) + new string(']', 5000) + "\n", "file", "nested more than" },
    };

    [Theory]
    [MemberData(nameof(BadGrids))]
    public void Load_BadGrid_ErrorNamesFileLineKeyAndExpectation(string yaml, string key, string fragment)
    {
        var path = Grid(yaml);

        var error = Assert.Throws<GridValidationException>(() => GridFile.Load(path));

        Assert.Contains(error.Errors, e => e.Key == key && e.Message.Contains(fragment) && e.File == path && e.Line >= 1);
    }

    [Fact]
    public void Load_SeveralProblems_AllReportedAtOnceWithTheirLines()
    {
        var path = Grid("name: x\ntasks: [sst3]\nkeep: [2]\nspeed: fast\n");

        var error = Assert.Throws<GridValidationException>(() => GridFile.Load(path));

        Assert.Equal([2, 3, 4], error.Errors.Select(e => e.Line).Order());
    }

    [Fact]
    public void Load_GridLargerThanTheLimit_RefusedBeforeExpanding()
    {
        var seeds = string.Join(", ", Enumerable.Range(0, 200));
        var keeps = string.Join(", ", Enumerable.Range(1, 100).Select(i => (i / 100.0).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var path = Grid($"name: x\ntasks: [spam-assassin]\nkeep: [{keeps}]\nseeds: [{seeds}]\n");

        var error = Assert.Throws<GridValidationException>(() => GridFile.Load(path, new GridLimits(MaxTrials: 10_000)));

        Assert.Contains("20,000", error.Errors[0].Message);
    }

    [Fact]
    public void Load_FileOverTheSizeLimit_Refused()
    {
        var path = Grid("name: x\n# " + new string('x', 50_000_000) + "\n"); // 50 MB

        var error = Assert.Throws<GridValidationException>(() => GridFile.Load(path));

        Assert.Contains("at most", error.Errors[0].Message);
    }

    [Fact]
    public void Load_NotUtf8_Refused()
    {
        var path = Path.Combine(folder.Path, "latin1.yaml");
        File.WriteAllBytes(path, [(byte)'n', (byte)'a', (byte)'m', (byte)'e', (byte)':', (byte)' ', 0xE9, 0xFF, (byte)'\n']);

        var error = Assert.Throws<GridValidationException>(() => GridFile.Load(path));

        Assert.Contains("UTF-8", error.Errors[0].Message);
    }
}
