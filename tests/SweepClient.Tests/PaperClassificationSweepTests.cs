using Sweeps.Testing;
using Xunit.Abstractions;

namespace Sweeps.SweepClient.Tests;

/// <summary>
/// The paper's classification path through the embedded cluster: a BertForMaskedLM checkpoint read at MNLI's label
/// words (the frozen masked-LM head), distilled from a BertForSequenceClassification teacher fine-tuned elsewhere whose
/// outputs are in another order — all tiny and written by the test.
/// </summary>
public sealed class PaperClassificationSweepTests(ITestOutputHelper log) : IDisposable
{
    private readonly TinyBert student = new(withMaskedLmHead: true);
    private readonly TinyBert teacherBase = new(seed: 2);
    private readonly TemporaryFolder work = new();

    public void Dispose()
    {
        student.Dispose();
        teacherBase.Dispose();
        work.Dispose();
    }

    private void WriteMnliFolder()
    {
        var rows = "sentence1\tsentence2\tgold_label\n" + string.Concat(Enumerable.Repeat(
            "the meeting is today\tthe meeting is today\tentailment\nthe report is attached\tit is great\tneutral\n" +
            "the lunch is today\tno lunch today\tcontradiction\n", 8));
        foreach (var file in new[] { "train.tsv", "dev_matched.tsv", "dev_mismatched.tsv" }) work.Write($"mnli/{file}", rows);
    }

    [Fact]
    public async Task Submit_MnliOnTheMaskedLmHeadWithAHuggingFaceTeacherInAnotherLabelOrder_PrintsBothMnliAccuracies()
    {
        WriteMnliFolder();
        // The teacher's outputs are unnamed (LABEL_0 …): LABEL_1 scores entailment, LABEL_2 neutral, LABEL_0 contradiction.
        TinyTeacherFolder.WriteSequenceClassifier(teacherBase, Path.Combine(work.Path, "teacher"), id2label: null);
        var grid = work.Write("grid.yaml", $"""
            name: paper-tiny
            model: {student.Directory}
            tasks:
              - {"{"}name: mnli, data: mnli, teacher: teacher, teacher_labels: [LABEL_1, LABEL_2, LABEL_0]{"}"}
            methods: [smp-s]
            keep: [0.5]
            classifier: mlm
            distillation: [off, teacher]
            seeds: [1]
            training:
              epochs: 2
              batch_size: 8
              max_length: 24
            """);

        var (exitCode, output) = await SweepCli.RunAsync("submit", grid, "--artifacts", Path.Combine(work.Path, "store"),
            "--state", Path.Combine(work.Path, "state"), "--threads", "1", "--format", "markdown");
        log.WriteLine(output);

        Assert.True(exitCode == 0, output);
        Assert.Contains("**mnli** — dev dev_matched.accuracy / dev_mismatched.accuracy, mean ± std (n seeds), best evaluation of each trial", output);
        Assert.Matches(@"\| smp-s \| [01]\.\d{4} / [01]\.\d{4} \(1(, 1 collapsed)?\) \|", output);
        Assert.Matches(@"\| smp-s \+ KD \| [01]\.\d{4} / [01]\.\d{4} \(1(, 1 collapsed)?\) \|", output);
        Assert.DoesNotContain("| dense |", output); // the teacher came from its folder, not from a trial of the sweep
    }
}
