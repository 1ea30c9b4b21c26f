using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sweeps.Pruning.Training;

/// <summary>
/// Clips the gradients of every trained parameter together to a total L2 norm, before the optimiser step, as Hugging
/// Face's Trainer does (max_grad_norm, default 1.0) in the reference runs.
/// </summary>
public static class GradientClipping
{
    /// <summary>
    /// Scales the gradients so that their total L2 norm (all parameters as one vector) is at most
    /// <paramref name="maxNorm"/>; 0 leaves them as they are. Returns the total norm before clipping.
    /// </summary>
    public static double ClipTotalNorm(IReadOnlyList<Parameter> parameters, double maxNorm)
    {
        if (maxNorm > 0) return nn.utils.clip_grad_norm_(parameters, maxNorm);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var squares = parameters.Where(p => p.grad is not null).Select(p => p.grad!.pow(2).sum()).ToList();
        if (squares.Count == 0) return 0;
        return stack(squares).sum().sqrt().to_type(ScalarType.Float64).item<double>();
    }
}
