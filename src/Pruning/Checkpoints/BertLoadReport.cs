namespace Sweeps.Pruning.Checkpoints;

/// <summary>What loading a checkpoint found besides the tensors it expected.</summary>
/// <param name="Unexpected">Tensors in the file that the model does not use (listed, not an error).</param>
/// <param name="OptionalMissing">Optional tensors the file lacks (e.g. the pooler of a masked-LM checkpoint), left as initialised.</param>
public sealed record BertLoadReport(IReadOnlyList<string> Unexpected, IReadOnlyList<string> OptionalMissing);
