using Sweeps.Artifacts;
using Sweeps.Pruning.Models;
using Sweeps.Pruning.Tasks;
using Sweeps.Pruning.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace Sweeps.Pruning.Training;

/// <summary>Scores a model and head on a task's dev splits, in evaluation mode.</summary>
public static class TrialEvaluator
{
    /// <summary>
    /// Metric name → value, split-qualified (dev_matched.accuracy) when the task has several dev splits, and whether
    /// every prediction of every split was one class (<see cref="DevEvaluation.Collapsed"/>). Step 0: the caller sets it.
    /// </summary>
    public static DevEvaluation Evaluate(PretrainedBert model, ClassifierHead head, TextTask task,
        TextBatcher batcher, Device device, int? maxExamples = null, CancellationToken cancellation = default)
    {
        model.eval();
        head.eval();
        var metrics = new Dictionary<string, double>();
        var classes = new HashSet<float>();
        var predicted = 0;
        foreach (var (split, all) in task.Dev)
        {
            var examples = maxExamples is { } limit ? all.Take(limit).ToList() : all;
            var logits = Logits(model, head, batcher, examples, device, cancellation);
            var predictions = task.IsRegression
                ? logits.Select(l => l[0]).ToArray()
                : logits.Select(l => (float)Array.IndexOf(l, l.Max())).ToArray();
            if (!task.IsRegression) classes.UnionWith(predictions);
            predicted += predictions.Length;
            var labels = examples.Select(e => e.Label).ToArray();
            foreach (var (name, value) in TaskMetrics.Compute(task.Metrics, predictions, labels))
                metrics[TaskMetrics.KeyOf(split, name, task.Dev.Count)] = value;
        }
        return new DevEvaluation(0, metrics, !task.IsRegression && predicted > 1 && classes.Count == 1);
    }

    /// <summary>The head's logits for each example, in order.</summary>
    public static List<float[]> Logits(PretrainedBert model, ClassifierHead head, TextBatcher batcher,
        IReadOnlyList<TextExample> examples, Device device, CancellationToken cancellation = default)
    {
        var rows = new List<float[]>(examples.Count);
        using var noGrad = no_grad();
        foreach (var (batch, _) in batcher.Batches(examples, device))
        {
            cancellation.ThrowIfCancellationRequested();
            using (batch)
            using (var scope = NewDisposeScope())
            {
                var hidden = model.call(batch.InputIds, batch.TokenTypeIds, batch.AttentionMask);
                var logits = head.call(hidden, batch.InputIds).cpu();
                var width = (int)logits.shape[1];
                var values = logits.data<float>().ToArray();
                for (var row = 0; row < logits.shape[0]; row++) rows.Add(values.AsSpan(row * width, width).ToArray());
            }
            TrainingMeter.InferenceBatches.Add(1);
        }
        return rows;
    }
}
