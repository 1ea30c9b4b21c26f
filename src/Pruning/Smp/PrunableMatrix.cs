using Sweeps.Pruning.Models;

namespace Sweeps.Pruning.Smp;

/// <summary>One of the six masked weight matrices of an encoder layer.</summary>
/// <param name="Name">The Hugging Face module path, e.g. <c>bert.encoder.layer.3.attention.self.query</c>.</param>
/// <param name="Kind">The matrix type shared across layers, e.g. <c>attention.self.query</c>.</param>
public sealed record PrunableMatrix(string Name, int Layer, string Kind, MaskedLinear Module)
{
    /// <summary>The six kinds, in the order of a layer's forward pass.</summary>
    public static IReadOnlyList<string> Kinds { get; } =
    [
        "attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense", "intermediate.dense", "output.dense",
    ];

    public long ElementCount => Module.Weight.numel();

    private const string LayerPrefix = "bert.encoder.layer.";

    /// <summary>The model's masked matrices, layer by layer in forward order.</summary>
    public static IReadOnlyList<PrunableMatrix> Of(PretrainedBert model) =>
        model.named_modules()
            .Where(m => m.module is MaskedLinear && m.name.StartsWith(LayerPrefix, StringComparison.Ordinal))
            .Select(m =>
            {
                var rest = m.name[LayerPrefix.Length..];
                var dot = rest.IndexOf('.');
                return new PrunableMatrix(m.name, int.Parse(rest[..dot]), rest[(dot + 1)..], (MaskedLinear)m.module);
            })
            .OrderBy(m => m.Layer).ThenBy(m => Kinds.ToList().IndexOf(m.Kind))
            .ToList();
}
