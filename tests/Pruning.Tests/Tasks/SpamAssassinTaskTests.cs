using Sweeps.Pruning.Tasks;

namespace Sweeps.Pruning.Tests.Tasks;

public sealed class SpamAssassinTaskTests
{
    [Fact]
    public async Task Load_RealCorpus_StratifiedTwentyPercentDevSplitWithoutHeaders()
    {
        var task = await SpamAssassinTask.LoadAsync(SweepsCache.Default());

        var all = task.Train.Concat(task.Dev["dev"]).ToList();
        Assert.InRange(all.Count, 5_500, 6_046); // 6,046 e-mails less exact duplicates
        foreach (var label in new[] { 0f, 1f })
        {
            var dev = task.Dev["dev"].Count(e => e.Label == label);
            var total = all.Count(e => e.Label == label);
            Assert.InRange(dev, (int)Math.Floor(total * 0.2), (int)Math.Ceiling(total * 0.2));
        }
        // Headers are dropped; the few bodies that still show some quote a forwarded message in their text.
        var withHeaders = all.Count(e => e.TextB!.Contains("Received: from", StringComparison.Ordinal));
        Assert.True(withHeaders < all.Count / 100, $"{withHeaders} bodies contain 'Received: from'");
        var withHtml = all.Count(e => e.TextB!.Contains("<html", StringComparison.OrdinalIgnoreCase));
        Assert.True(withHtml < all.Count / 100, $"{withHtml} bodies contain '<html'");
        Assert.Empty(task.Train.Select(e => (e.TextA, e.TextB)).Intersect(task.Dev["dev"].Select(e => (e.TextA, e.TextB))));
    }
}
