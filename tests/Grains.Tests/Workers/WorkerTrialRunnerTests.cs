using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Sweeps.Artifacts;
using Sweeps.Grains.Hosting;
using Sweeps.Grains.Interfaces.Sweeps;
using Sweeps.Grains.Tests.Cluster;
using Sweeps.Grains.Trials;
using Sweeps.Grains.Workers;
using Sweeps.Pruning;
using Sweeps.Pruning.Training;
using Sweeps.Testing;
using Sweeps.Worker;

namespace Sweeps.Grains.Tests.Workers;

/// <summary>
/// The product's runner on its own (no cluster): each attempt a real worker process training the tiny BERT, ending as
/// the worker says or as its process ends — a result, a checkpoint on stop, early stopping, and each fault with its
/// own reason: the trial's error, a crash in native code (SIGABRT, SIGSEGV), an allocation past its memory cap, and a
/// hang. Faults are planned through <see cref="WorkerFaults.EnvironmentVariable"/>, which only a test sets: it is this
/// process's environment, which every worker inherits, so each fault names its trial (the tests of a class run one at
/// a time, and other classes' trials have other ids).
/// </summary>
public sealed class WorkerTrialRunnerTests : IDisposable
{
    private readonly TinyBert tiny = new();
    private readonly TemporaryFolder work = new();
    private readonly string data;

    public WorkerTrialRunnerTests()
    {
        data = TinyTasks.WriteSst2Folder(work, repeats: 8);
    }

    [Fact]
    public async Task Trial_RunsInAWorker_ReportsProgress_AndReturnsItsResult()
    {
        var trial = Trial(seed: 1);
        var progress = new Reports();
        var result = await Runner().RunAsync(Run(trial), progress, CancellationToken.None, CancellationToken.None);

        Assert.Equal(0.5, result.AchievedKeepFraction, 3);
        Assert.Equal(result.Steps, progress.Items.Where(p => p.Phase == TrainingPhase.Training).Max(p => p.Step));
        Assert.Contains(progress.Items, p => p.Evaluation is not null);
    }

    [Fact]
    public async Task Stop_Checkpoints_EndsAsInterrupted_AndTheNextAttemptResumes()
    {
        var trial = Trial(seed: 2, epochs: 40);
        using var stop = new CancellationTokenSource();
        var progress = new Reports(p =>
        {
            if (p is { Phase: TrainingPhase.Training, Step: >= 12 }) stop.Cancel();
        });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Runner().RunAsync(Run(trial), progress, stop.Token, CancellationToken.None));
        Assert.True(File.Exists(Path.Combine(Folder(trial), TrialCheckpoint.FileName)), "no checkpoint after the stop");

        var resumed = await Runner().RunAsync(Run(trial, attempt: 2), new Reports(), CancellationToken.None, CancellationToken.None);
        Assert.True(resumed.ResumedFromStep >= 12, $"resumed from step {resumed.ResumedFromStep}");
    }

    [Fact]
    public async Task StopEarly_EndsWithTheBestEvaluationSoFar()
    {
        var trial = Trial(seed: 3, epochs: 40);
        using var stopEarly = new CancellationTokenSource();
        var progress = new Reports(p =>
        {
            if (p.Evaluation is not null) stopEarly.Cancel();
        });
        var result = await Runner().RunAsync(Run(trial), progress, CancellationToken.None, stopEarly.Token);
        var planned = progress.Items.Max(p => p.TotalSteps);
        Assert.True(result.StoppedAtStep < planned, $"stopped at step {result.StoppedAtStep} of {planned}");
        Assert.Equal(result.Evaluations[0].Step, result.BestStep);
    }

    [Fact]
    public async Task TrialError_FailsWithTheEnginesReason()
    {
        var trial = Trial(seed: 4) with { Data = Path.Combine(work.Path, "vanished") };
        var failure = await Assert.ThrowsAsync<AttemptFailedException>(() => Runner().RunAsync(Run(trial), new Reports(), CancellationToken.None, CancellationToken.None));
        Assert.Equal(AttemptFault.Failed, failure.Fault);
        Assert.StartsWith("DataFormatException: ", failure.Message);
    }

    [Theory]
    [InlineData("abort", "SIGABRT")]
    [InlineData("segv", "SIGSEGV")]
    public async Task NativeCrash_EndsAsCrashed_NamingTheSignalAndTheStep(string fault, string signal)
    {
        var trial = Trial(seed: fault == "abort" ? 5 : 6);
        using var plan = FaultPlan.Set($"{trial.Id}={fault}@3");
        var failure = await Assert.ThrowsAsync<AttemptFailedException>(() => Runner().RunAsync(Run(trial), new Reports(), CancellationToken.None, CancellationToken.None));
        Assert.Equal(AttemptFault.Crashed, failure.Fault);
        Assert.Contains($"was killed by {signal}", failure.Message);
        Assert.Contains("at step 3", failure.Message);
        Assert.Contains($"meeting the planned fault '{fault}'", failure.Message); // its error output's last lines
    }

    [Fact]
    public async Task AllocationPastTheCap_EndsAsOutOfMemory_NamingTheCap()
    {
        var trial = Trial(seed: 7);
        using var plan = FaultPlan.Set($"{trial.Id}=allocate@3");
        var capped = Run(trial) with { MemoryCapBytes = 3L << 30 };
        var failure = await Assert.ThrowsAsync<AttemptFailedException>(() => Runner().RunAsync(capped, new Reports(), CancellationToken.None, CancellationToken.None));
        Assert.Equal(AttemptFault.OutOfMemory, failure.Fault);
        Assert.StartsWith("an allocation failed at step 3 within the worker's memory cap of 3 GiB: ", failure.Message);
        Assert.DoesNotContain("frame #", failure.Message); // libtorch's C++ stack is left out
    }

    [Fact]
    public async Task CapBelowWhatTheWorkerNeedsToStart_EndsAsOutOfMemory_SayingSo()
    {
        var tooSmall = Run(Trial(seed: 10)) with { MemoryCapBytes = 64L << 20 };
        var failure = await Assert.ThrowsAsync<AttemptFailedException>(() => Runner().RunAsync(tooSmall, new Reports(), CancellationToken.None, CancellationToken.None));
        Assert.Equal(AttemptFault.OutOfMemory, failure.Fault);
        Assert.Matches(@"^the memory cap of 64 MiB is below the \d+(\.\d+)? [MG]iB the worker maps before loading anything$", failure.Message);
    }

    [Fact]
    public async Task SilentWorker_IsKilledAsHung_AfterTheHangTimeout()
    {
        var trial = Trial(seed: 8);
        using var plan = FaultPlan.Set($"{trial.Id}=hang@3");
        // Long enough for a worker to start and reach step 3 on a loaded 2-core machine (the clock runs from its start).
        var runner = Runner(new WorkerSettings { HangTimeout = TimeSpan.FromSeconds(15) });
        var failure = await Assert.ThrowsAsync<AttemptFailedException>(() => runner.RunAsync(Run(trial), new Reports(), CancellationToken.None, CancellationToken.None));
        Assert.Equal(AttemptFault.Hung, failure.Fault);
        Assert.StartsWith("no progress for 15 s at step 3", failure.Message);
    }

    [Fact]
    public async Task WorkerThatDoesNotStop_IsKilledAfterTheGrace_AndEndsAsInterrupted()
    {
        var trial = Trial(seed: 9);
        using var plan = FaultPlan.Set($"{trial.Id}=hang@3");
        using var stop = new CancellationTokenSource();
        var progress = new Reports(p =>
        {
            if (p is { Phase: TrainingPhase.Training, Step: >= 3 }) stop.CancelAfter(TimeSpan.FromMilliseconds(200));
        });
        var runner = Runner(new WorkerSettings { StopGrace = TimeSpan.FromSeconds(2) });
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => runner.RunAsync(Run(trial), progress, stop.Token, CancellationToken.None));
        Assert.True(clock.Elapsed < TimeSpan.FromMinutes(1), $"took {clock.Elapsed}");
    }

    public void Dispose()
    {
        work.Dispose();
        tiny.Dispose();
    }

    private TrialSpec Trial(int seed, int epochs = 2) =>
        SweepSpecs.Trial("smp-s", 0.5, seed, model: tiny.Directory, data: data, training: SweepSpecs.Training with { Epochs = epochs });

    private string Folder(TrialSpec trial) => Path.Combine(work.Path, "artifacts", "trials", trial.Id);

    private TrialRun Run(TrialSpec trial, int attempt = 1) => new(trial, attempt, "cpu", Folder(trial));

    private WorkerTrialRunner Runner(WorkerSettings? settings = null)
    {
        var options = Options.Create(new SweepsOptions { CheckpointEverySteps = 4, ArtifactRoot = Path.Combine(work.Path, "artifacts") });
        var store = new TrialArtifactStore(options.Value.ArtifactRoot);
        return new WorkerTrialRunner(new TrialInputGuard(store, options), new WorkerLauncher(settings ?? new WorkerSettings { Threads = 1 }, 1),
            SweepsCache.Default(), NullLogger<WorkerTrialRunner>.Instance);
    }

    /// <summary>Every progress report, in order; an optional action sees each as it comes.</summary>
    private sealed class Reports(Action<TrialProgress>? seen = null) : IProgress<TrialProgress>
    {
        public List<TrialProgress> Items { get; } = [];

        public void Report(TrialProgress value)
        {
            lock (Items) Items.Add(value);
            seen?.Invoke(value);
        }
    }
}
