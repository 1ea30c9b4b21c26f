using Sweeps.Grains.Cluster;
using Sweeps.Grains.Hosting;

namespace Sweeps.Grains.Tests.Cluster;

/// <summary>The capacity view's rules on the plain book, with a clock the test moves: no silo, no sleeps.</summary>
public sealed class SlotBookTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(15);
    private static readonly Func<string, bool> AllLive = _ => true;

    private static string? Reserve(SlotBook<string> book, string pool, string trial, DateTimeOffset now, Func<string, bool>? isLive = null) =>
        book.TryReserve(pool, trial, now, isLive ?? AllLive, out var silo) ? silo : null;

    private static SlotBook<string> Book(params (string Silo, string Pool, int Slots)[] silos)
    {
        var book = new SlotBook<string>(StaleAfter);
        foreach (var (silo, pool, slots) in silos) book.Report(silo, pool, slots, [], T0);
        return book;
    }

    [Fact]
    public void Reserve_PicksTheSiloWithTheMostFreeSlots_AndStopsWhenAllAreBusy()
    {
        var book = Book(("a", "gpu", 1), ("b", "gpu", 2));

        Assert.Equal(["b", "a", "b"], new[] { "t1", "t2", "t3" }.Select(t => Reserve(book, "gpu", t, T0)));
        Assert.Null(Reserve(book, "gpu", "t4", T0));
        Assert.Equal([("a", "gpu", 1, 1), ("b", "gpu", 2, 2)], book.Usage(T0, AllLive));
    }

    [Fact]
    public void Reserve_OffersOnlyTheTrialsPool_OrASiloTakingAnyPool()
    {
        var book = Book(("cpu", "cpu", 4), ("any", SweepsOptions.AnyPool, 1));

        Assert.Equal("any", Reserve(book, "gpu", "t1", T0));
        Assert.Null(Reserve(book, "gpu", "t2", T0));
        Assert.Equal("cpu", Reserve(book, "cpu", "t3", T0));
    }

    [Fact]
    public void AReservedTrial_KeepsItsSilo_WhenReservedAgain()
    {
        var book = Book(("a", "p", 1), ("b", "p", 1));
        var first = Reserve(book, "p", "t1", T0);

        Assert.Equal(first, Reserve(book, "p", "t1", T0));
        Assert.NotNull(Reserve(book, "p", "t2", T0));
        Assert.Null(Reserve(book, "p", "t3", T0));
    }

    [Fact]
    public void ASilo_NotActiveInMembership_OrSilentPastStaleAfter_IsNotOffered()
    {
        var book = Book(("a", "p", 1), ("b", "p", 1));
        book.Report("b", "p", 1, [], T0 + StaleAfter);

        Assert.Equal("b", Reserve(book, "p", "t1", T0 + StaleAfter + TimeSpan.FromSeconds(1)));
        Assert.Null(Reserve(book, "p", "t2", T0, silo => silo != "a" && silo != "b"));
        Assert.Equal(["b"], book.Usage(T0 + StaleAfter + TimeSpan.FromSeconds(1), AllLive).Select(u => u.Silo));
    }

    [Fact]
    public void AReservationTheSiloReportsAsALease_StaysBusyAsTheLease_UntilReleased()
    {
        var book = Book(("a", "p", 1));
        Reserve(book, "p", "t1", T0);
        book.Report("a", "p", 1, ["t1"], T0 + TimeSpan.FromSeconds(5));

        Assert.Equal(1, book.Usage(T0 + TimeSpan.FromSeconds(5), AllLive).Single().Busy);
        book.Release("t1");
        Assert.Equal(0, book.Usage(T0 + TimeSpan.FromSeconds(5), AllLive).Single().Busy);
        Assert.Equal("a", Reserve(book, "p", "t2", T0 + TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void AReservationThatNeverBecomesALease_ExpiresAtTheSilosNextReportAfterTheExpiry()
    {
        var book = Book(("a", "p", 1));
        Reserve(book, "p", "lost", T0);
        book.Report("a", "p", 1, [], T0 + book.ReservationExpiry);
        Assert.Null(Reserve(book, "p", "t2", T0 + book.ReservationExpiry));

        book.Report("a", "p", 1, [], T0 + book.ReservationExpiry + TimeSpan.FromSeconds(1));
        Assert.Equal("a", Reserve(book, "p", "t2", T0 + book.ReservationExpiry + TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void TenThousandTrials_OnAHundredSilos_FillEverySlotOnce_AndReleasingFreesThemAll()
    {
        var book = new SlotBook<string>(StaleAfter);
        for (var silo = 0; silo < 100; silo++) book.Report($"s{silo}", "p", 8, [], T0);
        var placed = Enumerable.Range(0, 10_000).Select(i => (Trial: $"t{i}", Silo: Reserve(book, "p", $"t{i}", T0))).ToList();

        Assert.Equal(800, placed.Count(p => p.Silo is not null));
        Assert.All(placed.Take(800), p => Assert.NotNull(p.Silo));
        Assert.All(book.Usage(T0, AllLive), u => Assert.Equal(8, u.Busy));
        foreach (var (trial, _) in placed.Take(800)) book.Release(trial);
        Assert.All(book.Usage(T0, AllLive), u => Assert.Equal(0, u.Busy));
    }
}
