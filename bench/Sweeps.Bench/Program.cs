using Sweeps.Bench;

// dotnet run -c Release --project bench/Sweeps.Bench -- forward|step|memory|quality [--threads N] [--rounds N]
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
        TrialMemory.Run(options);
        return 0;
    case "quality":
        QualityTable.Run(options, Path.Combine(Path.GetTempPath(), "sweeps-quality"));
        return 0;
    default:
        Console.Error.WriteLine($"unknown benchmark '{benchmark}'; available: forward, step, memory, quality");
        return 2;
}
