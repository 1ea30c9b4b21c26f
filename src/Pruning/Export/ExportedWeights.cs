using Sweeps.Pruning.Training;
using Sweeps.Pruning.Squad;
using TorchSharp;
using static TorchSharp.torch;

namespace Sweeps.Pruning.Export;

/// <summary>
/// An exported trial's tensors under the names its Hugging Face class expects, float32 on the CPU, each masked weight
/// multiplied out: a pruned weight is stored as exactly +0. Scores are training state and are never written.
/// </summary>
public static class ExportedWeights
{
    /// <summary>
    /// The pooler's scale in a sequence-classification export. Our linear head reads the [CLS] hidden state h itself,
    /// while BertForSequenceClassification reads pooler(h) = tanh(W h + b). The export sets W = εI, b = 0 and divides
    /// the classifier's weight by ε, so the class computes W_c·tanh(εh)/ε = W_c·h·(1 − (εh)²/3 + …): at ε = 1e-5 and
    /// |h| ≤ 50 the relative change is below 1e-7, under float32's own rounding.
    /// </summary>
    public const float PoolerScale = 1e-5f;

    /// <summary>Name and value of every tensor to write, in the model's order; the caller disposes the values.</summary>
    /// <param name="poolerClass">
    /// For a class that reads the pooler (Hugging Face's BertForSequenceClassification): the linear head is folded into
    /// a near-identity pooler. Without it the pooler is left out and the head's weights are its own.
    /// </param>
    public static IReadOnlyList<(string Name, Tensor Value)> Of(ExportedTrial trial, bool poolerClass)
    {
        using var noGrad = no_grad();
        // Intermediate tensors (casts, comparisons) are freed here; only the returned values leave the scope.
        using var scope = NewDisposeScope();
        var architecture = trial.Architecture;
        var masks = trial.Matrices.Where(m => m.Module.Mask is not null).ToDictionary(m => m.Name + ".weight", m => m.Module.Mask!);
        var tensors = new List<(string, Tensor)>();
        foreach (var (name, parameter) in trial.Trained.Model.named_parameters())
        {
            if (name.EndsWith(".scores", StringComparison.Ordinal)) continue;
            // The masked-LM and question-answering classes have no pooler (Hugging Face builds them without one).
            if (name.StartsWith("bert.pooler.", StringComparison.Ordinal) && !(poolerClass && architecture == ExportArchitecture.SequenceClassification)) continue;
            if (name.StartsWith("cls.", StringComparison.Ordinal) && architecture != ExportArchitecture.MaskedLm) continue;
            var value = parameter.detach().to(ScalarType.Float32).cpu();
            if (masks.TryGetValue(name, out var mask)) value = value.masked_fill(mask.cpu().eq(0), 0f);
            tensors.Add((name, value.contiguous()));
        }

        switch (trial.Trained.Head)
        {
            case LinearClassifierHead head when poolerClass:
                ReplacePooler(tensors);
                foreach (var (name, parameter) in head.named_parameters())
                {
                    var value = parameter.detach().to(ScalarType.Float32).cpu();
                    tensors.Add((name, (name.EndsWith(".weight", StringComparison.Ordinal) ? value / PoolerScale : value).contiguous()));
                }
                break;
            case LinearClassifierHead or LinearSpanHead:
                foreach (var (name, parameter) in trial.Trained.Head.named_parameters())
                    tensors.Add((name, parameter.detach().to(ScalarType.Float32).cpu().contiguous()));
                break;
        }
        foreach (var (_, value) in tensors) value.MoveToOuterDisposeScope();
        return tensors;
    }

    private static void ReplacePooler(List<(string Name, Tensor Value)> tensors)
    {
        for (var i = 0; i < tensors.Count; i++)
        {
            var (name, value) = tensors[i];
            if (name == "bert.pooler.dense.weight") tensors[i] = (name, eye(value.shape[0], value.shape[1]).mul(PoolerScale));
            else if (name == "bert.pooler.dense.bias") tensors[i] = (name, zeros_like(value));
            else continue;
            value.Dispose();
        }
    }
}
