using Sweeps.Pruning.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Sweeps.Pruning.Smp;

/// <summary>
/// Applies a pruning method to a model's masked matrices: attaches scores where the method learns them, recomputes
/// every mask for the current keep fraction, and computes the sigmoid-L1 regulariser. Owns its tie-breaking tensors (as
/// large as the scores): dispose it with the model.
/// </summary>
public sealed class Pruner : IDisposable
{
    private readonly PruningMethod method;
    private readonly double temperature;
    private readonly Dictionary<PrunableMatrix, Tensor> tieBreakers = new();

    // Far below any score difference Adam produces (its steps are ~1e-4 and up), so it only orders exact ties.
    private const double TieBreakScale = 1e-7;

    /// <param name="temperature">SMP-S's τ in sigmoid(S/τ) when allocating across layers.</param>
    /// <param name="seed">Seeds the fixed random order that breaks ties between equal scores.</param>
    public Pruner(PretrainedBert model, PruningMethod method, double temperature = 1.0, long seed = 0)
    {
        this.method = method;
        this.temperature = temperature;
        Matrices = PrunableMatrix.Of(model);
        if (!method.UsesScores()) return;
        // Scores start equal and Adam's early steps move them by nearly the same amount, so top-k meets many ties.
        // Broken by position, they would prune whole rows of a matrix; a fixed random order spreads them instead.
        using var generator = new Generator((ulong)seed);
        foreach (var matrix in Matrices)
        {
            var scores = matrix.Module.AttachScores();
            tieBreakers[matrix] = rand(scores.shape, generator: generator).mul_(TieBreakScale).to(scores.device);
        }
    }

    public IReadOnlyList<PrunableMatrix> Matrices { get; }

    /// <summary>The trainable scores (empty for methods without them).</summary>
    public IEnumerable<TorchSharp.Modules.Parameter> Scores => Matrices.Select(m => m.Module.Scores).OfType<TorchSharp.Modules.Parameter>();

    /// <summary>SMP's reference temperature: τ = 1 below a keep fraction of 0.7, τ = 4 from 0.7 up.</summary>
    public static double ReferenceTemperature(double keep) => keep < 0.7 ? 1.0 : 4.0;

    /// <summary>Recomputes every mask for keep fraction <paramref name="keep"/>; a dense method leaves the layers unmasked.</summary>
    public void UpdateMasks(double keep)
    {
        if (!method.Masks()) return;
        using var noGrad = no_grad();
        using var scope = NewDisposeScope(); // temporaries die here; each layer takes its new mask out of the scope
        if (method == PruningMethod.SmpScoreAllocated)
        {
            foreach (var kind in Matrices.GroupBy(m => m.Kind))
                AllocateAcrossLayers(kind.ToList(), keep);
            return;
        }
        foreach (var matrix in Matrices)
        {
            using var importance = method == PruningMethod.Magnitude ? matrix.Module.Weight.abs() : RankingScores(matrix);
            matrix.Module.SetMask(MaskFunctions.TopK(importance, MaskFunctions.KeepCount(keep, matrix.ElementCount)));
        }
    }

    /// <summary>R = mean over matrices of mean(sigmoid(S)) (the sigmoid-L1 norm per weight); zero without scores.</summary>
    public Tensor Regularizer()
    {
        var scores = Scores.ToList();
        if (scores.Count == 0) return tensor(0f);
        using var scope = NewDisposeScope();
        return stack(scores.Select(s => s.sigmoid().mean())).mean().MoveToOuterDisposeScope();
    }

    /// <summary>The kept fraction of each matrix (by name) under the current masks.</summary>
    public IReadOnlyDictionary<string, double> KeepFractions() => Matrices.ToDictionary(m => m.Name, m => Kept(m) / (double)m.ElementCount);

    /// <summary>The kept fraction over all masked weights.</summary>
    public double OverallKeepFraction()
    {
        return Matrices.Sum(Kept) / Matrices.Sum(m => (double)m.ElementCount);
    }

    private static double Kept(PrunableMatrix matrix)
    {
        if (matrix.Module.Mask is not { } mask) return matrix.ElementCount;
        using var sum = mask.sum();
        return sum.item<float>();
    }

    private void AllocateAcrossLayers(List<PrunableMatrix> layers, double keep)
    {
        var meanSigmoid = layers.Select(m =>
        {
            // Every temporary is disposed here: an undisposed mean keeps the whole sigmoid tensor alive until a GC.
            using var scaled = m.Module.Scores! / temperature;
            using var sigmoid = scaled.sigmoid();
            using var mean = sigmoid.mean();
            return (double)mean.item<float>();
        }).ToList();
        var fractions = MaskFunctions.AllocateKeepFractions(meanSigmoid, keep);
        var elements = layers[0].ElementCount;
        var counts = MaskFunctions.KeepCounts(fractions, elements, MaskFunctions.KeepCount(keep, elements * layers.Count));
        for (var i = 0; i < layers.Count; i++)
        {
            using var ranking = RankingScores(layers[i]);
            layers[i].Module.SetMask(MaskFunctions.TopK(ranking, counts[i]));
        }
    }

    private Tensor RankingScores(PrunableMatrix matrix) => matrix.Module.Scores! + tieBreakers[matrix];

    public void Dispose()
    {
        foreach (var tieBreaker in tieBreakers.Values) tieBreaker.Dispose();
        tieBreakers.Clear();
    }
}
