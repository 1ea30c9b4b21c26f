using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sweeps.Pruning.Models;

/// <summary>
/// A linear layer whose weight can be multiplied by a binary mask, with optional importance scores that learn through
/// a straight-through estimator. Parameter names are Hugging Face's (<c>weight</c>, <c>bias</c>) plus <c>scores</c>
/// once pruning is enabled, so checkpoints load by name.
/// </summary>
public sealed class MaskedLinear : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly Parameter bias;
    private Parameter? scores;
    private Tensor? mask;

    public MaskedLinear(long inputSize, long outputSize) : base(nameof(MaskedLinear))
    {
        // Hugging Face's nn.Linear initialisation (only tiny random test models rely on it; checkpoints overwrite it).
        weight = nn.Parameter(empty(outputSize, inputSize));
        nn.init.kaiming_uniform_(weight, Math.Sqrt(5));
        var bound = 1 / Math.Sqrt(inputSize);
        bias = nn.Parameter(empty(outputSize).uniform_(-bound, bound));
        RegisterComponents();
    }

    public Parameter Weight => weight;
    public Parameter Bias => bias;

    /// <summary>The importance scores (same shape as the weight), or null before <see cref="AttachScores"/>.</summary>
    public Parameter? Scores => scores;

    /// <summary>The binary mask in use, or null for the dense layer.</summary>
    public Tensor? Mask => mask;

    /// <summary>Adds trainable importance scores, initialised to the constant <paramref name="initialValue"/>.</summary>
    public Parameter AttachScores(float initialValue = 0f)
    {
        if (scores is not null) return scores;
        scores = nn.Parameter(full_like(weight, initialValue));
        register_parameter("scores", scores);
        return scores;
    }

    /// <summary>Replaces the mask (this layer takes ownership, out of any dispose scope); null makes the layer dense again.</summary>
    public void SetMask(Tensor? newMask)
    {
        mask?.Dispose();
        mask = newMask?.DetachFromDisposeScope();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        Tensor effective = weight;
        if (mask is not null)
        {
            effective = weight * mask;
            // Straight-through: the forward value is exactly W ⊙ M (S − S.detach() is exactly zero), while the gradient
            // reaching S is dL/dW' ⊙ W — the mask's gradient passed to the scores unchanged.
            if (scores is not null && scores.requires_grad && is_grad_enabled())
                effective = effective + (scores - scores.detach()) * weight;
        }
        return nn.functional.linear(input, effective, bias).MoveToOuterDisposeScope();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) mask?.Dispose();
        base.Dispose(disposing);
    }
}
