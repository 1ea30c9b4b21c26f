using System.Globalization;
using System.Text;
using Sweeps.Artifacts;

namespace Sweeps.Pruning.Export;

/// <summary>README.md of an exported model: where it came from and what it keeps, from the trial's own records.</summary>
public static class ModelCard
{
    public const string FileName = "README.md";

    public static string Of(ExportedTrial trial, ExportRequest request)
    {
        var result = trial.Result;
        var text = new StringBuilder();
        text.AppendLine("---");
        text.AppendLine("library_name: transformers");
        text.AppendLine($"pipeline_tag: {trial.Architecture.PipelineTag()}");
        text.AppendLine("tags: [bert, pruning, static-model-pruning]");
        text.AppendLine("---");
        text.AppendLine();
        text.AppendLine($"# {result.Task}: {result.Method}, keep {Percent(result.AchievedKeepFraction)}");
        text.AppendLine();
        text.AppendLine(request.Format == ExportFormat.Onnx
            ? $"A pruned BERT exported from one trial of a Sweeps pruning sweep as one ONNX graph (`{TrialExporter.OnnxFileName}`, opset {OnnxBertGraph.Opset}): "
              + "`input_ids`, `attention_mask`, `token_type_ids` (int64, [batch, sequence]) to "
              + (trial.Architecture == ExportArchitecture.QuestionAnswering || trial.Trained.Head is Squad.SpanHead ? "`start_logits` and `end_logits`." : "`logits`.")
            : $"A pruned BERT exported from one trial of a Sweeps pruning sweep, as `{trial.Architecture.ClassName()}`.");
        text.AppendLine("The masks are multiplied into the base model's weights: a pruned weight is stored as exactly 0.");
        text.AppendLine();
        text.AppendLine("| | |");
        text.AppendLine("| --- | --- |");
        text.AppendLine($"| base model | `{trial.BaseModel}` |");
        text.AppendLine($"| task | {result.Task} |");
        text.AppendLine($"| method | {result.Method} ({result.Classifier} head) |");
        text.AppendLine($"| keep (target / achieved) | {Percent(result.TargetKeepFraction)} / {Percent(result.AchievedKeepFraction)} |");
        foreach (var (name, value) in result.DevMetrics)
            text.AppendLine($"| dev {name} | {value.ToString("F4", CultureInfo.InvariantCulture)} (step {result.BestStep}) |");
        text.AppendLine($"| sweep | {request.SweepId ?? "(exported by trial id)"} |");
        text.AppendLine($"| trial | `{trial.TrialId}` |");
        text.AppendLine($"| precision | {request.DType.ToName()} |");
        text.AppendLine($"| made by | `{request.Command}` |");
        text.AppendLine();

        switch (trial.Architecture)
        {
            case ExportArchitecture.SequenceClassification when request.Format == ExportFormat.HuggingFace && trial.Trained.Head is Training.LinearClassifierHead { HasPooler: true }:
                text.AppendLine("The trial's head reads the pooler's output, as `BertForSequenceClassification` does: the pooler and the classifier");
                text.AppendLine("are the trial's own.");
                break;
            case ExportArchitecture.SequenceClassification when request.Format == ExportFormat.HuggingFace:
                text.AppendLine("The trial's head reads the `[CLS]` hidden state directly, while `BertForSequenceClassification` reads the");
                text.AppendLine($"pooler's output. The pooler here is scaled near the identity (weight {ExportedWeights.PoolerScale(request.DType).ToString("G", CultureInfo.InvariantCulture)}·I, bias 0) and the");
                text.AppendLine("classifier's weight divided by the same factor, which gives the trial's logits to the stored precision's rounding.");
                break;
            case ExportArchitecture.MaskedLm:
                text.AppendLine($"The task's outputs are the masked-LM logits of the label words in `{LabelWords.FileName}`, read where it says.");
                break;
        }
        text.AppendLine();

        if (result.KeepFractionPerMatrix.Count > 0)
        {
            text.AppendLine("## Kept weights per matrix");
            text.AppendLine();
            text.AppendLine("| matrix | keep |");
            text.AppendLine("| --- | --- |");
            foreach (var (name, keep) in result.KeepFractionPerMatrix)
                text.AppendLine($"| `{name}` | {Percent(keep)} |");
        }
        return text.ToString();
    }

    private static string Percent(double fraction) => (fraction * 100).ToString("F2", CultureInfo.InvariantCulture) + "%";
}
