using System.Diagnostics;
using Sweeps.Pruning.Models;
using Sweeps.Pruning.Tasks;
using Sweeps.Pruning.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace Sweeps.Pruning.Evaluation;

/// <summary>
/// Scores a frozen encoder on a classification task without training anything: each class is represented by the
/// mean of its training examples' mean-pooled embeddings, and a dev example takes the class of the nearest centroid
/// (cosine). A quick, honest check that a model, tokenizer and task fit together.
/// </summary>
public static class CentroidProbe
{
    /// <param name="progress">Reports (examples encoded, examples in all).</param>
    public static ProbeResult Run(PretrainedBert model, TextBatcher batcher, TextTask task, int trainLimit, Device device,
        IProgress<(int Done, int Total)>? progress = null, CancellationToken cancellation = default)
    {
        if (task.IsRegression) throw new ArgumentException($"task '{task.Name}' is a regression task; the centroid probe needs classes");
        var train = task.Train.Take(trainLimit).ToList();
        var dev = task.Dev.First().Value;
        var total = train.Count + dev.Count;
        var done = 0;
        long tokens = 0;
        var clock = Stopwatch.StartNew();
        model.eval();

        Tensor Embed(IReadOnlyList<TextExample> examples)
        {
            var parts = new List<Tensor>();
            foreach (var (batch, _) in batcher.Batches(examples, device))
            {
                cancellation.ThrowIfCancellationRequested();
                using (batch)
                using (var scope = NewDisposeScope())
                using (no_grad())
                {
                    var hidden = model.call(batch.InputIds, batch.TokenTypeIds, batch.AttentionMask);
                    var mask = batch.AttentionMask.unsqueeze(-1).to(ScalarType.Float32);
                    var pooled = (hidden * mask).sum(1) / mask.sum(1);
                    parts.Add(nn.functional.normalize(pooled, dim: 1).cpu().MoveToOuterDisposeScope());
                    tokens += batch.RealTokens;
                    done += (int)batch.InputIds.shape[0];
                    progress?.Report((done, total));
                }
            }
            var all = cat(parts, 0);
            foreach (var part in parts) part.Dispose();
            return all;
        }

        using var trainEmbeddings = Embed(train);
        using var devEmbeddings = Embed(dev);
        using var trainLabels = tensor(train.Select(e => (long)e.Label).ToArray());
        var centroids = Enumerable.Range(0, task.OutputCount).Select(c =>
        {
            using var members = trainEmbeddings.index_select(0, nonzero(trainLabels == c).squeeze(1));
            return members.shape[0] == 0 ? zeros(trainEmbeddings.shape[1]) : members.mean([0L]);
        }).ToList();
        using var centroidMatrix = nn.functional.normalize(stack(centroids), dim: 1);
        foreach (var c in centroids) c.Dispose();
        using var similarity = devEmbeddings.matmul(centroidMatrix.t());
        using var predicted = similarity.argmax(1);
        var predictions = predicted.data<long>().ToArray().Select(p => (float)p).ToArray();
        var labels = dev.Select(e => e.Label).ToArray();

        var majority = labels.GroupBy(l => l).Max(g => g.Count()) / (double)labels.Length;
        return new ProbeResult(task.Name, train.Count, dev.Count, TaskMetrics.Compute(task.Metrics, predictions, labels),
            majority, tokens, clock.Elapsed);
    }
}
