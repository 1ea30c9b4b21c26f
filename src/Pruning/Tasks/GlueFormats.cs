namespace Sweeps.Pruning.Tasks;

/// <summary>The GLUE tasks' TSV layouts as the GLUE distribution ships them (train.tsv, dev.tsv; MNLI: dev_matched/dev_mismatched).</summary>
public static class GlueFormats
{
    private static readonly Dictionary<string, string> Dev = new() { ["dev"] = "dev.tsv" };

    public static TsvTaskFormat Sst2 { get; } = new("sst2", "train.tsv", Dev, true,
        TsvColumn.Named("sentence"), null, TsvColumn.Named("label"), ["0", "1"], ["negative", "positive"], [TaskMetric.Accuracy], ["terrible", "great"]);

    // CoLA ships without a header: source, label, original judgement, sentence.
    public static TsvTaskFormat Cola { get; } = new("cola", "train.tsv", Dev, false,
        TsvColumn.At(3), null, TsvColumn.At(1), ["0", "1"], ["unacceptable", "acceptable"], [TaskMetric.Matthews], ["incorrect", "correct"]);

    public static TsvTaskFormat Mrpc { get; } = new("mrpc", "train.tsv", Dev, true,
        TsvColumn.Named("#1 String"), TsvColumn.Named("#2 String"), TsvColumn.Named("Quality"), ["0", "1"],
        ["not_equivalent", "equivalent"], [TaskMetric.Accuracy, TaskMetric.F1], ["No", "Yes"]);

    public static TsvTaskFormat Qqp { get; } = new("qqp", "train.tsv", Dev, true,
        TsvColumn.Named("question1"), TsvColumn.Named("question2"), TsvColumn.Named("is_duplicate"), ["0", "1"],
        ["not_duplicate", "duplicate"], [TaskMetric.Accuracy, TaskMetric.F1], ["No", "Yes"]);

    // The label words the reference's runs read, in this task's label order: its run.sh maps ids 0/1/2 to Yes/Maybe/No,
    // but run_glue.py first renumbers MNLI's labels to the order of its teacher (contradiction, entailment, neutral), so
    // entailment is read at "Maybe", neutral at "No" and contradiction at "Yes". The paper's numbers come from that.
    public static TsvTaskFormat Mnli { get; } = new("mnli", "train.tsv",
        new Dictionary<string, string> { ["dev_matched"] = "dev_matched.tsv", ["dev_mismatched"] = "dev_mismatched.tsv" }, true,
        TsvColumn.Named("sentence1"), TsvColumn.Named("sentence2"), TsvColumn.Named("gold_label"),
        ["entailment", "neutral", "contradiction"], ["entailment", "neutral", "contradiction"], [TaskMetric.Accuracy], ["Maybe", "No", "Yes"]);

    public static TsvTaskFormat Qnli { get; } = new("qnli", "train.tsv", Dev, true,
        TsvColumn.Named("question"), TsvColumn.Named("sentence"), TsvColumn.Named("label"),
        ["entailment", "not_entailment"], ["entailment", "not_entailment"], [TaskMetric.Accuracy], ["Yes", "No"]);

    public static TsvTaskFormat Rte { get; } = new("rte", "train.tsv", Dev, true,
        TsvColumn.Named("sentence1"), TsvColumn.Named("sentence2"), TsvColumn.Named("label"),
        ["entailment", "not_entailment"], ["entailment", "not_entailment"], [TaskMetric.Accuracy], ["Yes", "No"]);

    public static TsvTaskFormat StsB { get; } = new("stsb", "train.tsv", Dev, true,
        TsvColumn.Named("sentence1"), TsvColumn.Named("sentence2"), TsvColumn.Named("score"), null, [],
        [TaskMetric.Pearson, TaskMetric.Spearman], ["Yes"]);

    public static IReadOnlyList<TsvTaskFormat> All { get; } = [Sst2, Cola, Mrpc, Qqp, Mnli, Qnli, Rte, StsB];

    /// <summary>Finds a GLUE task by name (case-insensitive; "sst-2" and "sts-b" are accepted too).</summary>
    public static TsvTaskFormat? Find(string name)
    {
        var key = name.Replace("-", "", StringComparison.Ordinal).ToLowerInvariant();
        return All.FirstOrDefault(f => f.Name == key);
    }
}
