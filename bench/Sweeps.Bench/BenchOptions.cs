namespace Sweeps.Bench;

/// <summary>Options every benchmark understands.</summary>
public sealed record BenchOptions(int Threads, int Rounds)
{
    public static BenchOptions Parse(string[] args)
    {
        int Value(string name, int fallback)
        {
            var at = Array.IndexOf(args, name);
            return at >= 0 && at + 1 < args.Length && int.TryParse(args[at + 1], out var v) ? v : fallback;
        }
        return new BenchOptions(Value("--threads", Environment.ProcessorCount), Value("--rounds", 3));
    }
}
