using static TorchSharp.torch;

namespace Sweeps.Pruning.Smp;

/// <summary>The masking functions: local top-k, and SMP-S's allocation of a keep budget across layers.</summary>
public static class MaskFunctions
{
    /// <summary>A float mask shaped like <paramref name="values"/> with exactly <paramref name="keep"/> ones, at the largest values.</summary>
    public static Tensor TopK(Tensor values, long keep)
    {
        using var scope = NewDisposeScope();
        var flat = values.detach().reshape(-1);
        keep = Math.Clamp(keep, 0, flat.shape[0]);
        var mask = zeros_like(flat);
        if (keep == flat.shape[0]) mask.fill_(1);
        else if (keep > 0)
        {
            // Disposed explicitly: topk's outputs are not reliably released by the scope, and they are large.
            var (kept, indexes) = flat.topk((int)keep, sorted: false);
            using (kept)
            using (indexes)
                mask.index_fill_(0, indexes, 1);
        }
        return mask.reshape(values.shape).MoveToOuterDisposeScope();
    }

    /// <summary>How many of <paramref name="elements"/> a keep fraction keeps (rounded to the nearest weight).</summary>
    public static long KeepCount(double keep, long elements) => (long)Math.Round(keep * elements);

    /// <summary>
    /// SMP-S: splits a keep budget over the layers of one matrix type in proportion to each layer's mean sigmoid score,
    /// k_i = k · L · a_i / Σ a_j. A layer cannot keep more than all of its weights: the excess is handed to the other
    /// layers in the same proportions until none is over, so the total is always exactly the budget.
    /// </summary>
    /// <param name="meanSigmoid">a_i for each layer (all positive).</param>
    /// <param name="keep">The overall keep fraction k for this matrix type.</param>
    /// <returns>Per-layer keep fractions whose mean is <paramref name="keep"/>.</returns>
    public static double[] AllocateKeepFractions(IReadOnlyList<double> meanSigmoid, double keep)
    {
        var layers = meanSigmoid.Count;
        var result = new double[layers];
        var full = new bool[layers];
        var budget = keep * layers;
        while (true)
        {
            var open = Enumerable.Range(0, layers).Where(i => !full[i]).ToList();
            var weight = open.Sum(i => meanSigmoid[i]);
            var spent = Enumerable.Range(0, layers).Where(i => full[i]).Sum(_ => 1.0);
            var left = budget - spent;
            var capped = false;
            foreach (var i in open)
            {
                result[i] = weight > 0 ? left * meanSigmoid[i] / weight : left / open.Count;
                if (result[i] > 1.0)
                {
                    result[i] = 1.0;
                    full[i] = true;
                    capped = true;
                }
            }
            if (!capped || open.Count == 0) return result;
        }
    }

    /// <summary>
    /// Whole-weight counts for per-matrix keep fractions whose sum is exactly <paramref name="totalKeep"/>: floors first,
    /// then the remaining weights go to the largest remainders.
    /// </summary>
    public static long[] KeepCounts(IReadOnlyList<double> fractions, long elementsPerMatrix, long totalKeep)
    {
        var exact = fractions.Select(f => f * elementsPerMatrix).ToArray();
        var counts = exact.Select(e => Math.Min(elementsPerMatrix, (long)Math.Floor(e))).ToArray();
        var missing = totalKeep - counts.Sum();
        foreach (var i in Enumerable.Range(0, counts.Length).OrderByDescending(i => exact[i] - Math.Floor(exact[i])).ThenBy(i => i))
        {
            if (missing <= 0) break;
            if (counts[i] >= elementsPerMatrix) continue;
            counts[i]++;
            missing--;
        }
        return counts;
    }
}
