namespace Sweeps.Grains.Sweeps;

/// <summary>
/// Writes a sweep's trial records durably, throttled: each write holds the whole state and blocks the sweep's turns, so
/// a large sweep writes less often — at most once a second per thousand trials, from 1 s to 10 s. What a crash can
/// lose meanwhile is recovered on activation (results from the artefact store, running trials asked again).
/// </summary>
/// <param name="beforeWrite">Called before each write (the shell publishes the sweep's metrics).</param>
public sealed class SweepStateWriter(IPersistentState<SweepState> state, Action beforeWrite)
{
    private DateTimeOffset lastWrite = DateTimeOffset.MinValue;

    public static TimeSpan Interval(int trials) => TimeSpan.FromSeconds(Math.Clamp(trials / 1000.0, 1, 10));

    /// <summary>Writes now when the last write is an interval old or the sweep is finished; else the check timer writes it.</summary>
    public async Task WriteSoon(SweepLedger ledger)
    {
        ledger.Changed = true;
        if (Due || ledger.IsFinished) await Write(ledger);
    }

    /// <summary>Writes what changed when an interval has passed (the check timer's write).</summary>
    public async Task WriteIfDue(SweepLedger ledger)
    {
        if (ledger.Changed && Due) await Write(ledger);
    }

    public async Task Write(SweepLedger ledger)
    {
        beforeWrite();
        await state.WriteStateAsync();
        ledger.Changed = false;
        lastWrite = DateTimeOffset.UtcNow;
    }

    private bool Due => DateTimeOffset.UtcNow - lastWrite > Interval(state.State.Trials.Count);
}
