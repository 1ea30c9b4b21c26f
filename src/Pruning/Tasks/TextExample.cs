namespace Sweeps.Pruning.Tasks;

/// <summary>One labelled input: a text or a text pair; the label is a class index, or the target of a regression task.</summary>
public sealed record TextExample(string TextA, string? TextB, float Label);
