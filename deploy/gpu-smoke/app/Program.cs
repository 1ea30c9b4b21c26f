using System.CommandLine;
using System.Globalization;
using Sweeps.GpuSmoke;
using Sweeps.Pruning.Models;
using static TorchSharp.torch;

// sweeps-gpu-smoke: a tiny SMP trial on cuda:0 (fp32 and bf16), then the same trial on the CPU, through the engine.
// run.sh starts it with the machine's libtorch and the chosen glue on LD_LIBRARY_PATH; see deploy/gpu-smoke/README.md.
var device = new Option<string>("--device") { Description = "the GPU to run on", DefaultValueFactory = _ => "cuda:0" };
var cpuOnly = new Option<bool>("--cpu-only") { Description = "no GPU run: the CPU trials alone (fp32 and bf16)" };
var probe = new Option<bool>("--probe") { Description = "only load libtorch and the glue and compute one product (exit 0 when they work together)" };
var steps = new Option<int>("--steps") { DefaultValueFactory = _ => 60 };
var batch = new Option<int>("--batch") { DefaultValueFactory = _ => 32 };
var length = new Option<int>("--length") { DefaultValueFactory = _ => 64 };
var hidden = new Option<int>("--hidden") { DefaultValueFactory = _ => 256 };
var layers = new Option<int>("--layers") { DefaultValueFactory = _ => 4 };
var torchFolder = new Option<string?>("--torch") { Description = "the PyTorch package folder in use (for the report)" };
var torchVersion = new Option<string?>("--torch-version") { Description = "its version (for the report)" };
var glue = new Option<string?>("--glue") { Description = "which glue run.sh chose, and why (for the report)" };

var root = new RootCommand("The Sweeps GPU smoke kit: a tiny SMP trial on a GPU and on the CPU")
{
    device, cpuOnly, probe, steps, batch, length, hidden, layers, torchFolder, torchVersion, glue,
};
root.SetAction(result =>
{
    try
    {
        var gpu = result.GetValue(cpuOnly) ? null : result.GetValue(device)!;
        if (result.GetValue(probe)) return Probe(gpu);
        var size = new SmokeSize(result.GetValue(steps), result.GetValue(batch), result.GetValue(length), result.GetValue(hidden), result.GetValue(layers));
        if (size.Steps < 2 || size.Batch < 1 || size.Length < 8 || size.Hidden < 16 || size.Hidden % 16 != 0 || size.Layers < 1)
        {
            Console.Error.WriteLine("expected --steps ≥ 2, --batch ≥ 1, --length ≥ 8, --hidden a multiple of 16 (at least 16), --layers ≥ 1");
            return 2;
        }
        return Smoke(gpu, size, result.GetValue(torchFolder), result.GetValue(torchVersion), result.GetValue(glue));
    }
    catch (Exception e)
    {
        Console.WriteLine($"result: FAILED: {e.GetType().Name}: {e.Message}");
        return 1;
    }
});
return root.Parse(args).Invoke();

static int Probe(string? gpu)
{
    using var x = ones(2, 2);
    using var product = x.matmul(x);
    if (product.sum().item<float>() != 8f) throw new InvalidOperationException("libtorch computed a wrong product");
    if (gpu is not null)
    {
        if (!cuda.is_available()) throw new InvalidOperationException("libtorch and the glue load, but torch.cuda is not available");
        using var onGpu = x.to(TorchSharp.torch.device(gpu));
        using var back = onGpu.matmul(onGpu).cpu();
        if (back.sum().item<float>() != 8f) throw new InvalidOperationException($"{gpu} computed a wrong product");
    }
    Console.WriteLine($"probe: ok ({(gpu is null ? "cpu" : $"cpu and {gpu}")})");
    return 0;
}

static int Smoke(string? gpu, SmokeSize size, string? torchFolder, string? torchVersion, string? glue)
{
    Console.WriteLine("Sweeps GPU smoke kit");
    Console.WriteLine($"  machine   : {MachineFacts.Cpu()}, {Environment.ProcessorCount} cores, {Environment.OSVersion}");
    Console.WriteLine($"  driver    : {MachineFacts.NvidiaDriver() ?? "no NVIDIA driver (/proc/driver/nvidia)"}");
    var gpus = MachineFacts.NvidiaGpus();
    Console.WriteLine($"  gpus      : {(gpus.Count == 0 ? "none listed by the driver" : string.Join("; ", gpus))}");
    Console.WriteLine($"  libtorch  : {torchFolder ?? "(not given)"} (torch {torchVersion ?? "?"}); TorchSharp {typeof(TorchSharp.torch).Assembly.GetName().Version}");
    Console.WriteLine($"  glue      : {glue ?? "(not given)"}");
    if (gpu is not null)
    {
        var available = cuda.is_available();
        Console.WriteLine($"  torch.cuda: {(available ? $"available, {cuda.device_count()} device(s)" : "NOT available")}");
        if (!available)
        {
            Console.WriteLine("result: FAILED: this libtorch sees no CUDA device (a CPU-only PyTorch, no driver, or CUDA_VISIBLE_DEVICES hides them); --cpu-only runs the CPU trials alone");
            return 1;
        }
    }
    else Console.WriteLine("  torch.cuda: not used (--cpu-only): this run proves the kit on this machine, not a GPU");

    var work = Directory.CreateTempSubdirectory("sweeps-gpu-smoke-").FullName;
    try
    {
        var model = SmokeModel.Write(Path.Combine(work, "model"), size.Hidden, size.Layers, size.Length, seed: 1);
        var task = SmokeModel.Task(trainCount: 8 * size.Batch, maxWords: Math.Min(24, size.Length - 2), seed: 3);
        (string Device, Precision Precision)[] runs = gpu is null
            ? [("cpu", Precision.Fp32), ("cpu", Precision.Bf16)]
            : [(gpu, Precision.Fp32), (gpu, Precision.Bf16), ("cpu", Precision.Fp32)];
        Console.WriteLine($"trial: SMP-S keep 0.5, random BERT {size.Layers} x {size.Hidden}, {size.Steps} steps of {size.Batch} x {size.Length} tokens, seed 1");
        var outcomes = new List<SmokeTrial.Outcome>();
        foreach (var (runDevice, precision) in runs)
        {
            var outcome = SmokeTrial.Run(runDevice, precision, task, model, size, work);
            outcomes.Add(outcome);
            var r = outcome.Result;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {runDevice,-7} {precision.ToName()}  accuracy {r.FinalMetrics["accuracy"]:F3}  final loss {r.LossCurve[^1].Loss:F4}  keep {r.AchievedKeepFraction:F3}  step {outcome.MedianStepSeconds * 1000:F1} ms  {r.TokensPerSecond:N0} tokens/s  wall {outcome.WallSeconds:F1} s"));
        }
        var failed = outcomes.Where(o => Math.Abs(o.Result.AchievedKeepFraction - 0.5) > 0.01 || o.Result.LossCurve.Any(p => !double.IsFinite(p.Loss))).ToList();
        if (failed.Count > 0)
        {
            Console.WriteLine($"result: FAILED: {string.Join(", ", failed.Select(f => $"{f.Device} {f.Precision.ToName()}"))} missed keep 0.5 or had a non-finite loss");
            return 1;
        }
        var speed = gpu is null ? "" : string.Create(CultureInfo.InvariantCulture,
            $"; step time cpu / {gpu}: fp32 {outcomes[2].MedianStepSeconds / outcomes[0].MedianStepSeconds:F1}x, {gpu} fp32 / bf16: {outcomes[0].MedianStepSeconds / outcomes[1].MedianStepSeconds:F2}x");
        Console.WriteLine($"result: ok ({outcomes.Count} trials reached keep 0.5 with finite losses{speed})");
        return 0;
    }
    finally
    {
        Directory.Delete(work, recursive: true);
    }
}
