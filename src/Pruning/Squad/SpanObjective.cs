using Sweeps.Artifacts;
using Sweeps.Pruning.Models;
using Sweeps.Pruning.Text;
using Sweeps.Pruning.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Sweeps.Pruning.Squad;

/// <summary>
/// SQuAD: each example becomes one or more context windows (features); the loss is the mean of the start and end
/// cross-entropies over each window's tokens; dev answers come from the n-best search over all windows of a question
/// and are scored by the official exact match and F1 (reported as fractions, like the other tasks' metrics).
/// </summary>
public sealed class SpanObjective : TrialObjective
{
    // Padding positions get this logit, so neither the loss nor the teacher's distribution puts weight on them.
    private const float PaddingLogit = -1e4f;

    private readonly SquadTask task;
    private readonly BertTextEncoder encoder;
    private readonly TrialConfig config;
    private readonly SquadFeaturizer featurizer;
    private readonly IReadOnlyList<SquadExample> train;
    private readonly IReadOnlyList<SquadFeature> trainFeatures;
    private Tensor? teacherLogits;

    public SpanObjective(SquadTask task, BertTextEncoder encoder, TrialConfig config)
    {
        this.task = task;
        this.encoder = encoder;
        this.config = config;
        featurizer = new SquadFeaturizer(encoder, config.MaxLength);
        train = config.TrainLimit is { } limit ? task.Train.Take(limit).ToList() : task.Train;
        trainFeatures = featurizer.Build(train);
        TrainInputs = trainFeatures.Select(f => new EncodedText(f.InputIds, f.TokenTypeIds)).ToList();
    }

    public override IReadOnlyList<EncodedText> TrainInputs { get; }

    public override ClassifierHead CreateHead(PretrainedBert model, ClassifierMode mode, string modelName) => mode switch
    {
        ClassifierMode.MaskedLmHead => LabelWordSpanHead.For(model, encoder, task.LabelWords, modelName),
        _ => LinearSpanHead.Create(model.Config.HiddenSize, config.HeadInitialStd()),
    };

    public override void PrepareTeacher(TrainedModel teacher, Device device, CancellationToken cancellation)
    {
        if (teacher.Head is not SpanHead)
            throw new ArgumentException("the teacher is not a span model (a dense SQuAD trial's output folder is expected)");
        // Start and end positions are token positions: the teacher must read exactly the student's tokens.
        foreach (var example in train.Take(8))
            if (!teacher.Encoder.Tokenize(example.Question + " " + example.Context).SequenceEqual(encoder.Tokenize(example.Question + " " + example.Context)))
                throw new ArgumentException("span distillation needs a teacher with the student's vocabulary; the teacher tokenizes the training text differently");
        var longest = TrainInputs.Max(i => i.Length);
        var all = full(TrainInputs.Count, longest, 2, PaddingLogit);
        var row = 0;
        foreach (var (start, end) in Logits(teacher.Model, teacher.Head, TrainInputs, device, cancellation))
        {
            using var scope = NewDisposeScope();
            all[row++].narrow(0, 0, start.Length).copy_(stack([tensor(start), tensor(end)], 1));
        }
        teacherLogits = all;
    }

    public override Tensor Loss(Tensor logits, TokenBatch batch, int[] indices, DistillationSettings? distillation)
    {
        using var scope = NewDisposeScope();
        var device = logits.device;
        var masked = logits.masked_fill(batch.AttentionMask.eq(0).unsqueeze(-1), PaddingLogit);
        var starts = tensor(indices.Select(i => (long)trainFeatures[i].StartPosition).ToArray(), device: device);
        var ends = tensor(indices.Select(i => (long)trainFeatures[i].EndPosition).ToArray(), device: device);
        var loss = teacherLogits is null || distillation is null
            ? SpanLoss.Supervised(masked, starts, ends)
            : SpanLoss.Distilled(masked,
                teacherLogits.index_select(0, tensor(indices.Select(i => (long)i).ToArray())).narrow(1, 0, logits.shape[1]).to(device),
                starts, ends, distillation);
        return loss.MoveToOuterDisposeScope();
    }

    public override DevEvaluation Evaluate(PretrainedBert model, ClassifierHead head, Device device, int? maxExamples, CancellationToken cancellation)
    {
        model.eval();
        head.eval();
        var examples = maxExamples is { } limit ? task.Dev.Take(limit).ToList() : task.Dev;
        var features = featurizer.Build(examples);
        var inputs = features.Select(f => new EncodedText(f.InputIds, f.TokenTypeIds)).ToList();
        var windows = features.Zip(Logits(model, head, inputs, device, cancellation), (f, l) => (Feature: f, l.Start, l.End))
            .GroupBy(w => w.Feature.ExampleIndex);
        var predictions = windows.ToDictionary(g => examples[g.Key].Id, g => SpanDecoder.Best(examples[g.Key], g.ToList()));
        var (exactMatch, f1) = SquadScore.Score(examples, predictions);
        return new DevEvaluation(0, new Dictionary<string, double> { [SquadTask.MetricNames[0]] = exactMatch / 100, [SquadTask.MetricNames[1]] = f1 / 100 }, false);
    }

    /// <summary>F1, as the reference's run_squad.sh selects (<c>--metric_for_best_model eval_f1</c>).</summary>
    public override string SelectionMetric(DevEvaluation evaluation) => SquadTask.MetricNames[1];

    /// <summary>The head's start and end logits of each input's real tokens, in order.</summary>
    private IEnumerable<(float[] Start, float[] End)> Logits(PretrainedBert model, ClassifierHead head, IReadOnlyList<EncodedText> inputs, Device device,
        CancellationToken cancellation)
    {
        using var noGrad = no_grad();
        foreach (var chunk in inputs.Chunk(config.BatchSize * 2))
        {
            cancellation.ThrowIfCancellationRequested();
            float[] values;
            long width;
            using (var batch = TokenBatch.Collate(chunk, encoder.PadTokenId, device))
            using (var scope = NewDisposeScope())
            {
                var logits = head.call(model.call(batch.InputIds, batch.TokenTypeIds, batch.AttentionMask), batch.InputIds).cpu();
                width = logits.shape[1];
                values = logits.data<float>().ToArray();
            }
            TrainingMeter.InferenceBatches.Add(1);
            for (var row = 0; row < chunk.Length; row++)
            {
                var tokens = Enumerable.Range(0, chunk[row].Length).Select(t => (row * width + t) * 2).ToArray();
                yield return (tokens.Select(at => values[at]).ToArray(), tokens.Select(at => values[at + 1]).ToArray());
            }
        }
    }

    public override void Dispose()
    {
        teacherLogits?.Dispose();
        base.Dispose();
    }
}
