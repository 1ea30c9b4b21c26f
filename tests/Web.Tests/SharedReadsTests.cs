using Microsoft.Extensions.Time.Testing;

namespace Sweeps.Web.Tests;

/// <summary>What a host's pages ask their grains, however many browsers watch: one read per key per period, shared.</summary>
public sealed class SharedReadsTests
{
    [Fact]
    public async Task ViewersShareOneReadPerPeriod_AndALargeAnswerIsAskedForLessOften()
    {
        var clock = new FakeTimeProvider();
        var asked = 0;
        // The answer is its own size; a period of one second per 10 of it, as the sweep page reads whole statuses.
        var reads = new SharedReads<int>(size => TimeSpan.FromSeconds(Math.Max(1, size / 10)), clock);
        Task<int> Ask(int size) => reads.GetAsync("sweep", () =>
        {
            asked++;
            return Task.FromResult(size);
        });

        var answers = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => Ask(5))); // five viewers at once
        clock.Advance(TimeSpan.FromSeconds(1.5));
        await Ask(50); // a second later: asked again, now large
        clock.Advance(TimeSpan.FromSeconds(3));
        var held = await Ask(7); // within its 5 s: the large answer is shared still
        clock.Advance(TimeSpan.FromSeconds(3));
        var fresh = await Ask(7);

        Assert.All(answers, a => Assert.Equal(5, a));
        Assert.Equal((50, 7, 3), (held, fresh, asked));
    }

    [Fact]
    public async Task AFailedRead_IsAskedAgainAtTheNextRequest()
    {
        var reads = new SharedReads<int>(TimeSpan.FromMinutes(1), new FakeTimeProvider());

        await Assert.ThrowsAsync<TimeoutException>(() => reads.GetAsync("sweep", () => Task.FromException<int>(new TimeoutException())));

        Assert.Equal(3, await reads.GetAsync("sweep", () => Task.FromResult(3)));
    }
}
