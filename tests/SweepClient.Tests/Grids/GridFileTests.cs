using Sweeps.SweepClient.Grids;
using Sweeps.Testing;

namespace Sweeps.SweepClient.Tests.Grids;

public sealed class GridFileTests : IDisposable
{
    private readonly TemporaryFolder folder = new("sweeps-grid-");

    public void Dispose() => folder.Dispose();

    private string Grid(string yaml) => folder.Write($"{Guid.NewGuid():N}.yaml", yaml);

    [Fact]
    public void Load_DefaultExample_ExpandsToOneDensePlusTwoMethodsTimesTwoKeeps()
    {
        var example = Path.Combine(AppContext.BaseDirectory, "examples", "grid.yaml");

        var sweep = GridFile.Load(example);

        Assert.Equal("spam-smp", sweep.Name);
        Assert.Equal(5, sweep.Trials.Count);
        Assert.Single(sweep.Trials, t => t.Method == "dense");
        Assert.Equal(5, sweep.Trials.Select(t => t.Id).Distinct().Count());
    }

    [Fact]
    public void Load_PaperGlueExampleWithoutItsFolders_PlansThirtyNineTrialsButRefusesToSubmit()
    {
        var example = Path.Combine(AppContext.BaseDirectory, "examples", "paper-glue.yaml");

        var planned = GridFile.Load(example, new GridLimits(CheckPaths: false));
        var submitted = Assert.Throws<GridValidationException>(() => GridFile.Load(example));

        // 3 tasks x 2 methods x 3 keep fractions x (off, teacher) + one dense teacher per task.
        Assert.Equal(39, planned.Trials.Count);
        Assert.Equal(3, planned.Trials.Count(t => t.Method == "dense"));
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
        { "name: x\ntasks: [spam-assassin]\nmethods: [pruning]\nkeep: [0.5]\n", "methods", "smp-s" },
        { "name: x\ntasks: [spam-assassin]\nkeep: [0.5]\nclassifier: softmax\n", "classifier", "linear or mlm" },
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
        { "name: x\ntasks: [spam-assassin]\nkeep: [0.5]\nresources:\n  devices_per_trial: 0\n", "resources.devices_per_trial", "1 to 16" },
        { "name: x\nname: y\ntasks: [spam-assassin]\nkeep: [0.5]\n", "syntax", "Duplicate key" },
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
        var path = Grid("name: x\n# " + new string('x', 2_000_000) + "\n");

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
