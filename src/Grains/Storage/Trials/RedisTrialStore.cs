using System.Text;
using StackExchange.Redis;

namespace Sweeps.Grains.Storage.Trials;

/// <summary>
/// A cluster's trial store in Redis, six keys per sweep sharing one hash tag (one slot on a Redis cluster): the epoch
/// (a counter), a hash of trial records, the evaluation log (a list of "trial id, tab, point"), a cancellation flag,
/// the spec (a list of its parts), and the sequence number of the epoch's last write. A write is one script that
/// checks the epoch and the sequence before it changes anything, so it is atomic, fenced, and never undone by an
/// older write of the same activation arriving late over a connection that was given up.
/// </summary>
public sealed class RedisTrialStore(ConfigurationOptions options, string serviceId) : ITrialStore
{
    private const string WriteScript = """
        local current = tonumber(redis.call('GET', KEYS[1]) or '0')
        if current ~= tonumber(ARGV[1]) then return current end
        local landed = tonumber(redis.call('GET', KEYS[5]) or '0')
        if landed >= tonumber(ARGV[4]) then return -2 - landed end
        redis.call('SET', KEYS[5], ARGV[4])
        local records = tonumber(ARGV[3])
        local i = 5
        for _ = 1, records do
            redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1])
            i = i + 2
        end
        while i <= #ARGV do
            redis.call('RPUSH', KEYS[3], ARGV[i])
            i = i + 1
        end
        if ARGV[2] == '1' then redis.call('SET', KEYS[4], '1') end
        return -1
        """;

    // A new epoch starts its writes' sequence afresh.
    private const string ClaimScript = """
        local epoch = redis.call('INCR', KEYS[1])
        redis.call('DEL', KEYS[2])
        return epoch
        """;

    /// <summary>Reads take the log and the records in pages of this many, so no single reply holds a large sweep whole.</summary>
    private const int Page = 5_000;

    private readonly Lazy<Task<ConnectionMultiplexer>> connection = new(() => Connect(options));

    public async Task<long> ClaimAsync(string sweepId)
    {
        var keys = Keys(sweepId);
        return (long)await (await Database()).ScriptEvaluateAsync(ClaimScript, [keys.Epoch, keys.Written]);
    }

    public async Task<StoredTrials> ReadAsync(string sweepId)
    {
        var db = await Database();
        var keys = Keys(sweepId);
        var cancelled = (string?)await db.StringGetAsync(keys.Cancelled) == "1";
        var records = new List<KeyValuePair<string, byte[]>>();
        await foreach (var entry in db.HashScanAsync(keys.Records, pageSize: Page))
            records.Add(new(entry.Name!, (byte[])entry.Value!));
        var evaluations = new List<KeyValuePair<string, byte[]>>();
        for (long start = 0; ; start += Page)
        {
            var page = await db.ListRangeAsync(keys.Evaluations, start, start + Page - 1);
            foreach (var item in page) evaluations.Add(Unframe((byte[])item!));
            if (page.Length < Page) break;
        }
        return new StoredTrials(cancelled, records, evaluations);
    }

    public async Task<IReadOnlyList<KeyValuePair<string, byte[]>>> ReadRecordsAsync(string sweepId, IReadOnlyList<string> trialIds)
    {
        var db = await Database();
        var keys = Keys(sweepId);
        var rows = new List<KeyValuePair<string, byte[]>>(trialIds.Count);
        foreach (var page in trialIds.Chunk(Page))
        {
            var values = await db.HashGetAsync(keys.Records, page.Select(id => (RedisValue)id).ToArray());
            rows.AddRange(page.Zip(values).Where(p => p.Second.HasValue).Select(p => new KeyValuePair<string, byte[]>(p.First, (byte[])p.Second!)));
        }
        return rows;
    }

    public async Task WriteAsync(string sweepId, long epoch, long sequence, TrialChanges changes)
    {
        var keys = Keys(sweepId);
        var args = new List<RedisValue>(4 + 2 * changes.Records.Count + changes.Evaluations.Count) { epoch, changes.Cancelled ? "1" : "0", changes.Records.Count, sequence };
        foreach (var (id, bytes) in changes.Records)
        {
            args.Add(id);
            args.Add(bytes);
        }
        foreach (var (id, bytes) in changes.Evaluations) args.Add(Frame(id, bytes));
        var result = (long)await (await Database()).ScriptEvaluateAsync(WriteScript, [keys.Epoch, keys.Records, keys.Evaluations, keys.Cancelled, keys.Written], [.. args]);
        if (result >= 0) throw new StaleEpochException(sweepId, epoch, result);
        if (result <= -2) throw new OvertakenWriteException(sweepId, sequence, -2 - result);
    }

    public async Task WriteSpecAsync(string sweepId, byte[] spec)
    {
        var db = await Database();
        var key = Keys(sweepId).Spec;
        // A part per call: no command carries more than a part. Until the sweep's definition names the spec as stored
        // (written after), a half-written spec is never read.
        await db.KeyDeleteAsync(key);
        foreach (var part in ITrialStore.SpecParts(spec)) await db.ListRightPushAsync(key, part);
    }

    public async Task<byte[]?> ReadSpecAsync(string sweepId)
    {
        var parts = await (await Database()).ListRangeAsync(Keys(sweepId).Spec);
        return parts.Length == 0 ? null : parts.SelectMany(part => (byte[])part!).ToArray();
    }

    private (RedisKey Epoch, RedisKey Records, RedisKey Evaluations, RedisKey Cancelled, RedisKey Spec, RedisKey Written) Keys(string sweepId)
    {
        // The braces are Redis' hash tag: a sweep's keys land in one slot, as a script's keys must.
        var tag = $"{{{serviceId}/sweeps/{sweepId}}}";
        return (tag + ":epoch", tag + ":trials", tag + ":evaluations", tag + ":cancelled", tag + ":spec", tag + ":written");
    }

    private static byte[] Frame(string trialId, byte[] point) => [.. Encoding.UTF8.GetBytes(trialId), (byte)'\t', .. point];

    private static KeyValuePair<string, byte[]> Unframe(byte[] entry)
    {
        var tab = Array.IndexOf(entry, (byte)'\t');
        return new(Encoding.UTF8.GetString(entry, 0, tab), entry[(tab + 1)..]);
    }

    private async Task<IDatabase> Database() => (await connection.Value).GetDatabase();

    private static Task<ConnectionMultiplexer> Connect(ConfigurationOptions options)
    {
        var copy = options.Clone();
        // Connect once and keep reconnecting in the background: a store that is down at first use fails those calls, not every later one.
        copy.AbortOnConnectFail = false;
        return ConnectionMultiplexer.ConnectAsync(copy);
    }
}
