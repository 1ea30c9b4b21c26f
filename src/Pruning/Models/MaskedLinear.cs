using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sweeps.Pruning.Models;

/// <summary>
/// A linear layer whose weight can be multiplied by a binary mask, with optional importance scores that learn through
/// a straight-through estimator. Parameter names are Hugging Face's (<c>weight</c>, <c>bias</c>) plus <c>scores</c>
/// once pruning is enabled, so checkpoints load by name. Under mixed precision (<see cref="RunIn"/>) the product runs
/// in bfloat16 and so does its output; the scores stay float32.
/// </summary>
public sealed class MaskedLinear : nn.Module<Tensor, Tensor>
{
    private Parameter weight;
    private Parameter bias;
    private Parameter? scores;
    private Tensor? mask;
    // Null: the input's own type. Otherwise the type the product runs in, and the mask kept in that type too.
    private ScalarType? computeType;
    private Tensor? computeMask;

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
        // float32 whatever the weight is stored in: Adam's small steps on the scores would vanish in bfloat16.
        scores = nn.Parameter(full(weight.shape, initialValue, dtype: ScalarType.Float32, device: weight.device));
        register_parameter("scores", scores);
        return scores;
    }

    /// <summary>Replaces the mask (this layer takes ownership, out of any dispose scope); null makes the layer dense again.</summary>
    public void SetMask(Tensor? newMask)
    {
        mask?.Dispose();
        mask = newMask?.DetachFromDisposeScope();
        UpdateComputeMask();
    }

    /// <summary>
    /// Runs the product in <paramref name="type"/> from now on (inputs, weight and bias cast to it); with
    /// <paramref name="storeWeights"/> the weight and bias are also stored in it, which suits frozen weights only: a
    /// trained weight stays float32 (the master copy) and is cast at each forward pass, its gradient flowing back through
    /// the cast.
    /// </summary>
    public void RunIn(ScalarType type, bool storeWeights)
    {
        computeType = type == ScalarType.Float32 ? null : type;
        if (storeWeights)
        {
            weight = Stored(nameof(weight), weight, type);
            bias = Stored(nameof(bias), bias, type);
        }
        UpdateComputeMask();
    }

    private Parameter Stored(string name, Parameter parameter, ScalarType type)
    {
        if (parameter.dtype == type) return parameter;
        Parameter converted;
        using (no_grad())
            converted = new Parameter(parameter.to(type), parameter.requires_grad);
        ConditionallyRegisterParameter(name, converted);
        parameter.Dispose();
        return converted;
    }

    // Converted once per new mask rather than at every forward pass (evaluation runs many passes per mask).
    private void UpdateComputeMask()
    {
        computeMask?.Dispose();
        computeMask = mask is not null && computeType is { } type ? mask.to(type).DetachFromDisposeScope() : null;
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var type = computeType ?? input.dtype;
        var x = In(input, type);
        var w = In(weight, type);
        Tensor effective = w;
        if (mask is not null)
        {
            effective = w * (computeMask ?? mask);
            // Straight-through: the forward value is exactly W ⊙ M (S − S.detach() is exactly zero), while the gradient
            // reaching S is dL/dW' ⊙ W — the mask's gradient passed to the scores unchanged.
            if (scores is not null && scores.requires_grad && is_grad_enabled())
                effective = effective + In(scores - scores.detach(), type) * w;
        }
        return nn.functional.linear(x, effective, In(bias, type)).MoveToOuterDisposeScope();
    }

    private static Tensor In(Tensor tensor, ScalarType type) => tensor.dtype == type ? tensor : tensor.to(type);

    // The mask is neither a parameter nor a buffer (it is no state to save or train), so Module.to would leave it
    // behind: a masked model moved to a GPU after its masks were set (an artefact loaded on the CPU) keeps them here.
    protected override void _toEpilog(ScalarType? dtype, Device? device, bool non_blocking)
    {
        base._toEpilog(dtype, device, non_blocking);
        if (device is null) return;
        mask = Moved(mask, device);
        computeMask = Moved(computeMask, device);
    }

    private static Tensor? Moved(Tensor? tensor, Device device)
    {
        if (tensor is null || tensor.device == device) return tensor;
        var moved = tensor.to(device).DetachFromDisposeScope();
        tensor.Dispose();
        return moved;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            mask?.Dispose();
            computeMask?.Dispose();
        }
        base.Dispose(disposing);
    }
}
