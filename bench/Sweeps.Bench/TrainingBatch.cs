using Sweeps.Pruning;
using Sweeps.Pruning.Checkpoints;
using Sweeps.Pruning.Tasks;
using Sweeps.Pruning.Text;
using static TorchSharp.torch;

namespace Sweeps.Bench;

/// <summary>The step benchmarks' input: the built-in MiniLM and one batch of 32 SpamAssassin e-mails × 128 tokens with their labels.</summary>
public sealed class TrainingBatch : IDisposable
{
    public const int BatchSize = 32;
    public const int MaxLength = 128;

    public TrainingBatch()
    {
        var cache = SweepsCache.Default();
        Folder = BuiltInModels.Resolve(BuiltInModels.MiniLm, cache);
        var task = SpamAssassinTask.LoadAsync(cache).GetAwaiter().GetResult();
        var encoder = BertTextEncoder.Load(Folder);
        var examples = task.Train.Take(BatchSize).ToList();
        Batch = TokenBatch.Collate(examples.Select(e => encoder.Encode(e.TextA, e.TextB, MaxLength)).ToList(), encoder.PadTokenId);
        Labels = tensor(examples.Select(e => e.Label).ToArray());
    }

    public ModelFolder Folder { get; }
    public TokenBatch Batch { get; }
    public Tensor Labels { get; }

    public void Dispose()
    {
        Batch.Dispose();
        Labels.Dispose();
    }
}
