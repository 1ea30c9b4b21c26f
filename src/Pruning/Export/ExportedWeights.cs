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
    /// The pooler's scale ε in a sequence-classification export. Our linear head reads the [CLS] hidden state h itself,
    /// while BertForSequenceClassification reads pooler(h) = tanh(W h + b). The export sets W = εI, b = 0 and divides
    /// the classifier's weight by ε, so the class computes W_c·tanh(εh)/ε = W_c·h·(1 − (εh)²/3 + …). A power of two,
    /// so that dividing by it is exact. In float32, ε = 2⁻¹⁷ (7.6e-6): at |h| ≤ 50 the relative change is below 5e-8,
    /// under float32's own rounding. In fp16, whose smallest normal number is 6.1e-5 and largest 65,504, that ε would
    /// lose digits and the divided weights could overflow: ε = 2⁻¹⁰ there (the change below 1e-4 at |h| ≤ 20, under
    /// fp16's and bf16's rounding of 1e-3 and 4e-3).
    /// </summary>
    public static float PoolerScale(ExportPrecision precision) => precision == ExportPrecision.Fp32 ? 1f / (1 << 17) : 1f / (1 << 10);

    /// <summary>Name and value of every tensor to write, in the model's order; the caller disposes the values.</summary>
    /// <param name="poolerClass">
    /// For a class that reads the pooler (Hugging Face's BertForSequenceClassification): a linear head on the [CLS] state
    /// is folded into a near-identity pooler. Without it the pooler is left out and the head's weights are its own. A
    /// head that reads a pooler of its own writes it as <c>bert.pooler.dense.*</c> either way, and its classifier as it is.
    /// </param>
    /// <param name="precision">The number format the weights will be stored in, which sets the pooler's scale.</param>
    public static IReadOnlyList<(string Name, Tensor Value)> Of(ExportedTrial trial, bool poolerClass, ExportPrecision precision = ExportPrecision.Fp32)
    {
        using var noGrad = no_grad();
        // Intermediate tensors (casts, comparisons) are freed here; only the returned values leave the scope.
        using var scope = NewDisposeScope();
        var architecture = trial.Architecture;
        var masks = trial.Matrices.Where(m => m.Module.Mask is not null).ToDictionary(m => m.Name + ".weight", m => m.Module.Mask!);
        var pooledHead = trial.Trained.Head is LinearClassifierHead { HasPooler: true };
        var tensors = new List<(string, Tensor)>();
        foreach (var (name, parameter) in trial.Trained.Model.named_parameters())
        {
            if (name.EndsWith(".scores", StringComparison.Ordinal)) continue;
            // The masked-LM and question-answering classes have no pooler (Hugging Face builds them without one).
            if (name.StartsWith("bert.pooler.", StringComparison.Ordinal) && (pooledHead || !(poolerClass && architecture == ExportArchitecture.SequenceClassification))) continue;
            if (name.StartsWith("cls.", StringComparison.Ordinal) && architecture != ExportArchitecture.MaskedLm) continue;
            var value = parameter.detach().to(ScalarType.Float32).cpu();
            if (masks.TryGetValue(name, out var mask)) value = value.masked_fill(mask.cpu().eq(0), 0f);
            tensors.Add((name, value.contiguous()));
        }

        switch (trial.Trained.Head)
        {
            case LinearClassifierHead { HasPooler: true } head:
                foreach (var (name, parameter) in head.named_parameters())
                    tensors.Add((name.StartsWith("pooler.", StringComparison.Ordinal) ? "bert." + name : name, parameter.detach().to(ScalarType.Float32).cpu().contiguous()));
                break;
            case LinearClassifierHead head when poolerClass:
                var scale = PoolerScale(precision);
                ReplacePooler(tensors, scale);
                foreach (var (name, parameter) in head.named_parameters())
                {
                    var value = parameter.detach().to(ScalarType.Float32).cpu();
                    tensors.Add((name, (name.EndsWith(".weight", StringComparison.Ordinal) ? value / scale : value).contiguous()));
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

    private static void ReplacePooler(List<(string Name, Tensor Value)> tensors, float scale)
    {
        for (var i = 0; i < tensors.Count; i++)
        {
            var (name, value) = tensors[i];
            if (name == "bert.pooler.dense.weight") tensors[i] = (name, eye(value.shape[0], value.shape[1]).mul(scale));
            else if (name == "bert.pooler.dense.bias") tensors[i] = (name, zeros_like(value));
            else continue;
            value.Dispose();
        }
    }
}
