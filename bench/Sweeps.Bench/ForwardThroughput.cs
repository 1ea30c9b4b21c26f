using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Sweeps.Pruning;
using Sweeps.Pruning.Checkpoints;
using Sweeps.Pruning.Tasks;
using Sweeps.Pruning.Text;
using static TorchSharp.torch;

namespace Sweeps.Bench;

/// <summary>
/// Forward-pass throughput of our TorchSharp BERT against ONNX Runtime running the very same MiniLM model.onnx, on the
/// same batches (real SpamAssassin dev texts, batch 32, max length 128) and the same number of threads. Each side is
/// warmed up, then timed over the same batches for several rounds, interleaved; the best round of each is compared.
/// </summary>
public static class ForwardThroughput
{
    private const int BatchSize = 32;
    private const int MaxLength = 128;
    private const int Batches = 8;

    public static void Run(BenchOptions options)
    {
        set_num_threads(options.Threads);
        var cache = SweepsCache.Default();
        var folder = BuiltInModels.Resolve(BuiltInModels.MiniLm, cache);
        var (model, _) = BertCheckpointLoader.Load(folder);
        var task = SpamAssassinTask.LoadAsync(cache).GetAwaiter().GetResult();
        var batcher = new TextBatcher(BertTextEncoder.Load(folder), MaxLength, BatchSize);
        var batches = batcher.Batches(task.Dev["dev"].Take(BatchSize * Batches).ToList()).Select(b => b.Batch).ToList();
        var tokens = batches.Sum(b => b.InputIds.numel());

        using var session = CreateSession(options.Threads);
        var onnxInputs = batches.Select(ToOnnx).ToList();

        double Ours()
        {
            var clock = Stopwatch.StartNew();
            using var noGrad = no_grad();
            foreach (var batch in batches)
                model.call(batch.InputIds, batch.TokenTypeIds, batch.AttentionMask).Dispose();
            return tokens / clock.Elapsed.TotalSeconds;
        }

        double Theirs()
        {
            var clock = Stopwatch.StartNew();
            foreach (var inputs in onnxInputs)
                session.Run(inputs, ["last_hidden_state"]).Dispose();
            return tokens / clock.Elapsed.TotalSeconds;
        }

        Ours();
        Theirs();
        double bestOurs = 0, bestTheirs = 0;
        for (var round = 0; round < options.Rounds; round++)
        {
            bestOurs = Math.Max(bestOurs, Ours());
            bestTheirs = Math.Max(bestTheirs, Theirs());
        }

        Console.WriteLine($"forward throughput, MiniLM-L6-H384, {Batches} batches x {BatchSize} x {MaxLength} tokens (padded), {options.Threads} threads, best of {options.Rounds}");
        Console.WriteLine($"  TorchSharp BERT : {bestOurs,10:N0} tokens/s");
        Console.WriteLine($"  ONNX Runtime    : {bestTheirs,10:N0} tokens/s");
        Console.WriteLine($"  ratio ours/ORT  : {bestOurs / bestTheirs:F2}");

        // Where the time goes: the encoder's dense matmuls are ~2 * (4h^2 + 2*h*i) FLOP per token per layer.
        var config = model.Config;
        var flopPerToken = 2.0 * config.NumHiddenLayers * (4.0 * config.HiddenSize * config.HiddenSize + 2.0 * config.HiddenSize * config.IntermediateSize);
        var gemm = MatmulThroughput.Measure(BatchSize * MaxLength, config.HiddenSize, config.IntermediateSize, options.Rounds);
        Console.WriteLine($"  libtorch GEMM [{BatchSize * MaxLength}x{config.HiddenSize}]x[{config.HiddenSize}x{config.IntermediateSize}] : {gemm:F0} GFLOP/s");
        Console.WriteLine($"  ours, dense-matmul FLOP/s : {bestOurs * flopPerToken / 1e9:F0} GFLOP/s = {bestOurs * flopPerToken / 1e9 / gemm:P0} of that GEMM");
        model.Dispose();
    }

    private static InferenceSession CreateSession(int threads)
    {
        using var package = MiniLmPackage.Open();
        using var onnx = package.OpenOnnx();
        using var bytes = new MemoryStream();
        onnx.CopyTo(bytes);
        var options = new SessionOptions { IntraOpNumThreads = threads, InterOpNumThreads = 1 };
        return new InferenceSession(bytes.ToArray(), options);
    }

    private static NamedOnnxValue[] ToOnnx(TokenBatch batch)
    {
        int[] shape = [(int)batch.InputIds.shape[0], (int)batch.InputIds.shape[1]];
        return
        [
            NamedOnnxValue.CreateFromTensor("input_ids", new DenseTensor<long>(batch.InputIds.data<long>().ToArray(), shape)),
            NamedOnnxValue.CreateFromTensor("attention_mask", new DenseTensor<long>(batch.AttentionMask.data<long>().ToArray(), shape)),
            NamedOnnxValue.CreateFromTensor("token_type_ids", new DenseTensor<long>(batch.TokenTypeIds.data<long>().ToArray(), shape)),
        ];
    }
}
