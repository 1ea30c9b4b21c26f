using System.Text;
using TorchSharp.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace Sweeps.Pruning.Training;

/// <summary>
/// AdamW over a trial's parameter groups (β 0.9 / 0.999, ε 1e-8, no weight decay), in one of the two ways the libraries
/// compute it. With m and v the moving averages of the gradient and its square after t steps:
/// <list type="bullet">
/// <item><c>torch.optim.AdamW</c>: θ −= lr · m̂ / (√v̂ + ε), with m̂ = m/(1 − β₁ᵗ) and v̂ = v/(1 − β₂ᵗ);</item>
/// <item><c>transformers.AdamW</c> (what both references use): θ −= lr · √(1 − β₂ᵗ)/(1 − β₁ᵗ) · m / (√v + ε), the same
/// update with ε/√(1 − β₂ᵗ) in place of ε — a larger ε early on (31.6× at t = 1).</item>
/// </list>
/// Each group's learning rate is its base rate times the schedule's factor, set before every step.
/// </summary>
public abstract class TrialOptimizer : IDisposable
{
    public const double Beta1 = 0.9, Beta2 = 0.999, Epsilon = 1e-8;

    protected TrialOptimizer(IReadOnlyList<(IReadOnlyList<Parameter> Parameters, double LearningRate)> groups) => Groups = groups;

    protected IReadOnlyList<(IReadOnlyList<Parameter> Parameters, double LearningRate)> Groups { get; }

    /// <param name="transformers">transformers.AdamW's update; otherwise torch's.</param>
    public static TrialOptimizer Create(IReadOnlyList<(IReadOnlyList<Parameter> Parameters, double LearningRate)> groups, bool transformers) =>
        transformers ? new TransformersAdamW(groups) : new TorchAdamW(groups);

    /// <summary>Whether this is transformers.AdamW's update.</summary>
    public abstract bool IsTransformers { get; }

    /// <summary>Sets every group's learning rate to its base rate times <paramref name="factor"/> (negative factors count as 0).</summary>
    public abstract void SetLearningRates(double factor);

    /// <summary>The learning rate each group steps with now.</summary>
    public abstract IReadOnlyList<double> LearningRates { get; }

    public abstract void ZeroGrad();

    public abstract void Step();

    /// <summary>The moving averages and step count, for a checkpoint.</summary>
    public abstract byte[] SaveState();

    public abstract void LoadState(byte[] state);

    public abstract void Dispose();

    private sealed class TorchAdamW : TrialOptimizer
    {
        private readonly AdamW optimizer;

        public TorchAdamW(IReadOnlyList<(IReadOnlyList<Parameter> Parameters, double LearningRate)> groups) : base(groups) =>
            optimizer = optim.AdamW(groups.Select(g => new AdamW.ParamGroup(g.Parameters, g.LearningRate, Beta1, Beta2, Epsilon, 0, false, false)));

        public override bool IsTransformers => false;

        public override void SetLearningRates(double factor)
        {
            var index = 0;
            foreach (var group in optimizer.ParamGroups) group.LearningRate = Groups[index++].LearningRate * Math.Max(0, factor);
        }

        public override IReadOnlyList<double> LearningRates => optimizer.ParamGroups.Select(g => g.LearningRate).ToList();

        public override void ZeroGrad() => optimizer.zero_grad();

        public override void Step() => optimizer.step();

        public override byte[] SaveState()
        {
            using var buffer = new MemoryStream();
            using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
                optimizer.save_state_dict(writer);
            return buffer.ToArray();
        }

        public override void LoadState(byte[] state)
        {
            using var reader = new BinaryReader(new MemoryStream(state));
            optimizer.load_state_dict(reader);
        }

        public override void Dispose() => optimizer.Dispose();
    }

    /// <summary>
    /// transformers.AdamW (as of the references' versions): per parameter, m = β₁m + (1 − β₁)g, v = β₂v + (1 − β₂)g²,
    /// θ −= lr · √(1 − β₂ᵗ)/(1 − β₁ᵗ) · m / (√v + ε). A parameter without a gradient is left alone and its step count
    /// does not advance, as there.
    /// </summary>
    private sealed class TransformersAdamW : TrialOptimizer
    {
        private const int StateVersion = 1;
        private readonly double[] rates;
        private readonly Dictionary<Parameter, (Tensor Average, Tensor Squares, long Steps)> state = new(ReferenceEqualityComparer.Instance);

        public TransformersAdamW(IReadOnlyList<(IReadOnlyList<Parameter> Parameters, double LearningRate)> groups) : base(groups) =>
            rates = groups.Select(g => g.LearningRate).ToArray();

        public override bool IsTransformers => true;

        public override void SetLearningRates(double factor)
        {
            for (var i = 0; i < rates.Length; i++) rates[i] = Groups[i].LearningRate * Math.Max(0, factor);
        }

        public override IReadOnlyList<double> LearningRates => rates;

        public override void ZeroGrad()
        {
            foreach (var (parameters, _) in Groups)
                foreach (var parameter in parameters)
                {
                    using var grad = parameter.grad;
                    grad?.zero_();
                }
        }

        public override void Step()
        {
            using var noGrad = no_grad();
            for (var g = 0; g < Groups.Count; g++)
                foreach (var parameter in Groups[g].Parameters)
                {
                    using var grad = parameter.grad;
                    if (grad is null) continue;
                    var (average, squares, steps) = state.TryGetValue(parameter, out var s)
                        ? s
                        : (zeros_like(parameter).DetachFromDisposeScope(), zeros_like(parameter).DetachFromDisposeScope(), 0L);
                    steps++;
                    state[parameter] = (average, squares, steps);
                    average.mul_(Beta1).add_(grad, alpha: 1 - Beta1);
                    squares.mul_(Beta2).addcmul_(grad, grad, value: 1 - Beta2);
                    var stepSize = rates[g] * Math.Sqrt(1 - Math.Pow(Beta2, steps)) / (1 - Math.Pow(Beta1, steps));
                    using var root = squares.sqrt();
                    using var denominator = root.add_(Epsilon);
                    parameter.addcdiv_(average, denominator, value: -stepSize);
                }
        }

        // Per parameter in group order: its step count, then (when it has stepped) both averages as float32 values.
        public override byte[] SaveState()
        {
            using var buffer = new MemoryStream();
            using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
            {
                writer.Write(StateVersion);
                foreach (var parameter in Groups.SelectMany(g => g.Parameters))
                {
                    if (!state.TryGetValue(parameter, out var s))
                    {
                        writer.Write(0L);
                        continue;
                    }
                    writer.Write(s.Steps);
                    foreach (var moment in new[] { s.Average, s.Squares })
                    {
                        using var values = moment.to(ScalarType.Float32).cpu().contiguous();
                        var floats = values.data<float>().ToArray();
                        writer.Write(floats.Length);
                        foreach (var value in floats) writer.Write(value);
                    }
                }
            }
            return buffer.ToArray();
        }

        public override void LoadState(byte[] bytes)
        {
            using var reader = new BinaryReader(new MemoryStream(bytes));
            if (reader.ReadInt32() != StateVersion) throw new InvalidDataException("the optimiser state is not transformers.AdamW's");
            ClearState();
            using var noGrad = no_grad();
            foreach (var parameter in Groups.SelectMany(g => g.Parameters))
            {
                var steps = reader.ReadInt64();
                if (steps == 0) continue;
                var moments = new Tensor[2];
                for (var i = 0; i < 2; i++)
                {
                    var count = reader.ReadInt32();
                    if (count != parameter.numel()) throw new InvalidDataException($"the optimiser state holds {count} values for a parameter of {parameter.numel()}");
                    var floats = new float[count];
                    for (var j = 0; j < count; j++) floats[j] = reader.ReadSingle();
                    using var values = tensor(floats, parameter.shape);
                    moments[i] = zeros_like(parameter).DetachFromDisposeScope();
                    moments[i].copy_(values);
                }
                state[parameter] = (moments[0], moments[1], steps);
            }
        }

        private void ClearState()
        {
            foreach (var (average, squares, _) in state.Values)
            {
                average.Dispose();
                squares.Dispose();
            }
            state.Clear();
        }

        public override void Dispose() => ClearState();
    }
}
