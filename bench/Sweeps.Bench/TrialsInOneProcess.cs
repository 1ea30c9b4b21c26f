using System.Diagnostics;
using System.Runtime.InteropServices;
using Sweeps.Pruning;
using Sweeps.Pruning.Checkpoints;
using Sweeps.Pruning.Smp;
using Sweeps.Pruning.Training;
using Sweeps.Pruning.Trials;
using TorchSharp;

namespace Sweeps.Bench;

/// <summary>
/// The process's memory across MiniLM trials run one after another in one process, as an embedded cluster runs a grid:
/// the default grid's settings (spam-assassin, batch 8 × 48 tokens, keep 0.5, checkpoints every 50 steps) and its order
/// per seed (dense, SMP-S, SMP-S distilled from that dense trial), each trial into a new output folder and started on a
/// new thread through <see cref="TrialTrainer.RunAsync"/> as a silo starts it (its training goes on wherever the await
/// of the task resumes, often a thread-pool thread). After each trial it prints the resident set, the data segment, the
/// managed heap, glibc's heap (bytes in use, free but kept, mmapped; arenas) and TorchSharp's tensor count, which tell
/// memory still referenced from memory freed but not returned to the system.
/// </summary>
/// <remarks>
/// <c>--trials N</c> (6); <c>--steps N</c> per trial (48; the grid's are 192); <c>--gc</c>: a full collection with
/// finalizers after each trial; <c>--trim</c>: malloc_trim after each trial; <c>--pin</c>: the task loaded first, then
/// <see cref="TrialTrainer.Run"/> on the trial's own thread; <c>--same-thread</c>: every trial started on the main
/// thread; <c>--no-kd</c>: SMP-S and dense only; <c>--method M</c>: every trial M, without distillation; <c>--arenas</c>: each glibc arena's size and free bytes after each
/// trial; <c>--every N</c>: a row every N steps too, for growth within a trial. MALLOC_ARENA_MAX in the environment
/// caps the arenas. malloc_trim hands free pages back inside the heap, so mallinfo2 still counts them as free: the
/// resident set tells them apart.
/// </remarks>
public static class TrialsInOneProcess
{
    public static void Run(BenchOptions options, string[] args)
    {
        string Value(string name, string fallback) => Array.IndexOf(args, name) is var at and >= 0 && at + 1 < args.Length ? args[at + 1] : fallback;
        bool Flag(string name) => args.Contains(name);
        var trials = int.Parse(Value("--trials", "6"));
        var steps = int.Parse(Value("--steps", "48"));
        var every = int.Parse(Value("--every", "0"));
        var (collect, trim, sameThread, pin, distill, arenas) =
            (Flag("--gc"), Flag("--trim"), Flag("--same-thread"), Flag("--pin"), !Flag("--no-kd"), Flag("--arenas"));
        var only = Value("--method", "") is { Length: > 0 } name ? PruningMethodFacts.Parse(name) : (PruningMethod?)null;

        torch.set_num_threads(options.Threads);
        var cache = SweepsCache.Default();
        var root = Path.Combine(Path.GetTempPath(), $"sweeps-trials-{Environment.ProcessId}");
        const int batch = 8, epochs = 3;
        // The default grid (examples/grid.yaml) with fewer examples: steps = epochs × train_limit / batch.
        var grid = new TrialConfig
        {
            Task = "spam-assassin", Keep = 0.5, Classifier = ClassifierMode.LinearHead, Epochs = epochs, BatchSize = batch, MaxLength = 48,
            TrainLimit = Math.Max(batch, steps * batch / epochs), DevLimit = 400, HeadLearningRate = 3e-3, CheckpointEverySteps = 50,
        };

        var started = (sameThread ? "all started on the main thread" : "each started on a new thread") + (pin ? " and trained there" : " (TrialTrainer.RunAsync)");
        var after = $"{(collect ? "GC.Collect" : "no GC")}, {(trim ? "malloc_trim" : "no trim")}";
        Console.WriteLine($"trials in one process: {trials} MiniLM trials of {steps} steps (batch {batch} x {grid.MaxLength} tokens), {options.Threads} threads, " +
                          $"{started}, after each: {after}; MALLOC_ARENA_MAX={Environment.GetEnvironmentVariable("MALLOC_ARENA_MAX") ?? "unset"}");
        Console.WriteLine("MiB; peak: the largest VmRSS during training; malloc in use/free/mmapped: mallinfo2, over every arena; tensors: TorchSharp's count of " +
                          "tensors not disposed (it also grows by one for every Parameter created, so it drifts up with every model built)");
        Console.WriteLine(Sample.Header);
        Console.WriteLine(Sample.Take("start", 0).Row);
        try
        {
            string? teacher = null;
            for (var i = 0; i < trials; i++)
            {
                // Per seed, as the grid orders them: the dense teacher, SMP-S, SMP-S distilled from the teacher.
                var seed = 1 + i / (distill ? 3 : 2);
                var (method, kd) = (distill ? i % 3 : i % 2) switch
                {
                    0 => (PruningMethod.Dense, (DistillationSettings?)null),
                    1 => (PruningMethod.SmpScoreAllocated, null),
                    _ => (PruningMethod.SmpScoreAllocated, new DistillationSettings(teacher!)),
                };
                if (only is { } chosen) (method, kd) = (chosen, null);
                var config = grid with { Method = method, Seed = seed, Distillation = kd };
                var folder = Path.Combine(root, $"trial-{i + 1}");
                if (method == PruningMethod.Dense) teacher = folder;
                var label = $"{i + 1} {method.ToName()}{(kd is null ? "" : "+kd")}";
                var peak = 0L;
                var trainingThreads = new HashSet<int>();
                var progress = new Sampler(p =>
                {
                    if (p.Phase != TrainingPhase.Training) return;
                    trainingThreads.Add(Environment.CurrentManagedThreadId);
                    peak = Math.Max(peak, Sample.ResidentBytes());
                    if (every > 0 && p.Step % every == 0) Console.WriteLine(Sample.Take($"  step {p.Step}", 0).Row);
                });
                var clock = Stopwatch.StartNew();
                Exception? failure = null;
                void Train()
                {
                    try
                    {
                        if (pin)
                        {
                            var task = TaskCatalog.LoadAsync(config.Task, config.Data, cache).GetAwaiter().GetResult();
                            new TrialTrainer(config, task, BuiltInModels.Resolve(config.Model, cache), folder, cache, progress).Run();
                        }
                        else TrialTrainer.RunAsync(config, folder, cache, progress).GetAwaiter().GetResult();
                    }
                    catch (Exception e)
                    {
                        failure = e;
                    }
                }
                if (sameThread) Train();
                else
                {
                    var thread = new Thread(Train, 16 * 1024 * 1024) { Name = $"trial {i + 1}" };
                    thread.Start();
                    thread.Join();
                }
                if (failure is not null) throw new InvalidOperationException($"trial {label} failed", failure);
                var seconds = clock.Elapsed.TotalSeconds;
                if (collect)
                {
                    GC.Collect();
                    GC.WaitForPendingFinalizers();
                    GC.Collect();
                }
                var trimClock = Stopwatch.StartNew();
                if (trim) Sample.Trim();
                var trimmed = trim ? $", malloc_trim {trimClock.Elapsed.TotalMilliseconds:F0} ms" : "";
                Console.WriteLine(Sample.Take(label, seconds, peak).Row + $"  trained on thread {string.Join(",", trainingThreads)}{trimmed}");
                if (arenas) Console.WriteLine(Sample.ArenaRows());
            }
            // What is left once nothing of the trials can be referenced any more: managed garbage, then the heap's free pages.
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            Console.WriteLine(Sample.Take("end: GC", 0).Row);
            Sample.Trim();
            Console.WriteLine(Sample.Take("end: GC+trim", 0).Row);
            if (arenas) Console.WriteLine(Sample.ArenaRows());
        }
        finally
        {
            if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        }
    }

    private sealed class Sampler(Action<TrialProgress> sample) : IProgress<TrialProgress>
    {
        public void Report(TrialProgress value) => sample(value);
    }

    /// <summary>One reading of the process's memory.</summary>
    private sealed record Sample(string Label, double Seconds, long PeakDuring, Dictionary<string, long> Status, long Managed, long ManagedCommitted,
        MallInfo2 Malloc, int Arenas, long LiveTensors)
    {
        public const string Header =
            "trial              s   peak  VmRSS RssAnon  VmHWM  VmData  managed  mgd-commit  malloc-use malloc-free  mmapped arenas  tensors";

        private const double MiB = 1048576.0;

        public static Sample Take(string label, double seconds, long peakDuring = 0) => new(label, seconds, peakDuring, ReadStatus(),
            GC.GetTotalMemory(false), GC.GetGCMemoryInfo().TotalCommittedBytes, mallinfo2(), CountArenas(), LiveTensorCount());

        public string Row =>
            $"{Label,-15} {Seconds,5:F0} {PeakDuring / MiB,6:F0} {Status["VmRSS"] / MiB,6:F0} {Status["RssAnon"] / MiB,7:F0} {Status["VmHWM"] / MiB,6:F0} {Status["VmData"] / MiB,7:F0} " +
            $"{Managed / MiB,8:F0} {ManagedCommitted / MiB,11:F0} {(long)Malloc.uordblks / MiB,11:F0} {(long)Malloc.fordblks / MiB,11:F0} {(long)Malloc.hblkhd / MiB,8:F0} {Arenas,6} {LiveTensors,8}";

        public static long ResidentBytes() => ReadStatus()["VmRSS"];

        public static void Trim() => malloc_trim(0);

        private static Dictionary<string, long> ReadStatus()
        {
            var values = new Dictionary<string, long>();
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                var colon = line.IndexOf(':');
                if (colon < 0 || !line.EndsWith(" kB", StringComparison.Ordinal)) continue;
                values[line[..colon]] = long.Parse(line[(colon + 1)..^3].Trim()) * 1024;
            }
            return values;
        }

        // TorchSharp's Tensor.TotalCount: created and not yet disposed (by Dispose or a finalizer); nn.Parameter moves its tensor's
        // handle without counting it down, so it also counts every Parameter ever made.
        private static long LiveTensorCount() => torch.Tensor.TotalCount;

        /// <summary>glibc's arenas (the main one and one per thread that allocated, up to 8 per core), from malloc_info.</summary>
        private static int CountArenas() => MallocInfo().Split("<heap nr=").Length - 1;

        /// <summary>Each arena's size from the system and its free bytes (fastbins and the rest), from malloc_info.</summary>
        public static string ArenaRows()
        {
            var rows = new List<string>();
            foreach (var heap in MallocInfo().Split("<heap nr=").Skip(1))
            {
                long Attribute(string element)
                {
                    var at = heap.IndexOf(element, StringComparison.Ordinal);
                    if (at < 0) return 0;
                    var size = heap.IndexOf("size=\"", at, StringComparison.Ordinal) + 6;
                    return long.Parse(heap[size..heap.IndexOf('"', size)]);
                }
                var number = heap[1..heap.IndexOf('"', 1)];
                var free = Attribute("<total type=\"fast\"") + Attribute("<total type=\"rest\"");
                rows.Add($"    arena {number,2}: {Attribute("<system type=\"current\"") / MiB,6:F0} MiB from the system, {free / MiB,6:F0} MiB free");
            }
            return string.Join(Environment.NewLine, rows);
        }

        private static string MallocInfo()
        {
            var path = Path.Combine(Path.GetTempPath(), $"malloc-info-{Environment.ProcessId}.xml");
            var file = fopen(path, "w");
            if (file == 0) return "";
            try
            {
                _ = malloc_info(0, file);
            }
            finally
            {
                _ = fclose(file);
            }
            var text = File.ReadAllText(path);
            File.Delete(path);
            return text;
        }

        [DllImport("libc")]
        private static extern MallInfo2 mallinfo2();

        [DllImport("libc")]
        private static extern int malloc_trim(nuint pad);

        [DllImport("libc")]
        private static extern int malloc_info(int options, nint stream);

        [DllImport("libc", CharSet = CharSet.Ansi)]
        private static extern nint fopen(string path, string mode);

        [DllImport("libc")]
        private static extern int fclose(nint stream);
    }

    /// <summary>glibc's struct mallinfo2: every field a size_t.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct MallInfo2
    {
        public nuint arena;    // bytes from the system for the heaps (sbrk, and the other arenas' mmapped heaps)
        public nuint ordblks;  // free chunks
        public nuint smblks;   // free fastbin chunks
        public nuint hblks;    // mmapped chunks
        public nuint hblkhd;   // bytes in mmapped chunks
        public nuint usmblks;  // unused
        public nuint fsmblks;  // bytes in free fastbin chunks
        public nuint uordblks; // bytes in use
        public nuint fordblks; // bytes free
        public nuint keepcost; // releasable at the top of the main heap
    }
}
