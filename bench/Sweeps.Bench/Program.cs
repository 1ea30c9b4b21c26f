using Sweeps.Bench;

// dotnet run -c Release --project bench/Sweeps.Bench -- forward|step|memory|precision|worker [--threads N] [--rounds N]
// dotnet run -c Release --project bench/Sweeps.Bench -- trials [--trials N] [--steps N] [--gc] [--trim] [--pin] [--same-thread] [--arenas] [--no-kd] [--method M] [--every N]
// dotnet run -c Release --project bench/Sweeps.Bench -- scheduling [TRIALS SECONDS SILOS SLOTS]   (default 2000 0 4 8)
// dotnet run -c Release --project bench/Sweeps.Bench -- store [SIZES...]   (default 1000 10000 100000)
// dotnet run -c Release --project bench/Sweeps.Bench -- heartbeats [TRIALS SECONDS INTERVAL SWEEP]   (default 1000 60 2 100000)
// dotnet run -c Release --project bench/Sweeps.Bench -- sampler [SEEDS TRIALS] [--plot FILE.png|.svg] [--only FUNCTION]   (default 10 100, every function)
var benchmark = args.FirstOrDefault() ?? "forward";
var options = BenchOptions.Parse(args.Skip(1).ToArray());
switch (benchmark)
{
    case "forward":
        ForwardThroughput.Run(options);
        return 0;
    case "step":
        TrainingStepThroughput.Run(options);
        return 0;
    case "memory":
        TrialMemory.Run(options, args);
        return 0;
    case "trials":
        TrialsInOneProcess.Run(options, args);
        return 0;
    case "precision":
        PrecisionComparison.Run(options);
        return 0;
    case "worker":
        WorkerCost.Run(options);
        return 0;
    case "scheduling":
        var numbers = args.Skip(1).Select(double.Parse).ToArray();
        double At(int i, double fallback) => numbers.Length > i ? numbers[i] : fallback;
        SchedulingOverhead.Run((int)At(0, 2000), TimeSpan.FromSeconds(At(1, 0)), (int)At(2, 4), (int)At(3, 8));
        return 0;
    case "heartbeats":
        var given = args.Skip(1).Select(double.Parse).ToArray();
        HeartbeatLoad.Run(given.Length > 0 ? (int)given[0] : 1000, given.Length > 1 ? given[1] : 60, given.Length > 2 ? given[2] : 2, given.Length > 3 ? (int)given[3] : 100_000);
        return 0;
    case "store":
        var sizes = args.Skip(1).Select(int.Parse).ToArray();
        StoreScale.Run(sizes.Length > 0 ? sizes : [1_000, 10_000, 100_000]);
        return 0;
    case "sampler":
        var plot = Array.IndexOf(args, "--plot") is var at and >= 0 && at + 1 < args.Length ? args[at + 1] : null;
        var only = Array.IndexOf(args, "--only") is var o and >= 0 && o + 1 < args.Length ? args[o + 1] : null;
        var counts = args.Skip(1).Where(a => int.TryParse(a, out _)).Select(int.Parse).ToArray();
        if (only != "zdt1") SamplerComparison.Run(counts.Length > 0 ? counts[0] : 10, counts.Length > 1 ? counts[1] : 100, plot, only);
        if (only is null or "zdt1") ParetoSamplerComparison.Run(counts.Length > 0 ? counts[0] : 10, counts.Length > 1 ? counts[1] : 100);
        return 0;
    default:
        Console.Error.WriteLine($"unknown benchmark '{benchmark}'; available: forward, step, memory, trials, precision, worker, scheduling, store, heartbeats, sampler; the quality study is a sweep: examples/study-spam.yaml");
        return 2;
}
