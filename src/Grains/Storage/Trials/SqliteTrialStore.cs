using Microsoft.Data.Sqlite;

namespace Sweeps.Grains.Storage.Trials;

/// <summary>
/// The embedded cluster's trial store: four tables in the cluster's SQLite file — a sweep's epoch and cancellation,
/// a row per trial record, the evaluation log (a row per point, in the order written), and the spec's parts. A write is one transaction
/// that first checks the epoch, so a superseded activation changes nothing.
/// </summary>
public sealed class SqliteTrialStore : ITrialStore
{
    private readonly SqliteDatabase database;

    public SqliteTrialStore(string path) => database = new SqliteDatabase(path, """
            CREATE TABLE IF NOT EXISTS sweep_epochs (
                sweep     TEXT PRIMARY KEY,
                epoch     INTEGER NOT NULL,
                cancelled INTEGER NOT NULL DEFAULT 0);
            CREATE TABLE IF NOT EXISTS trial_records (
                sweep  TEXT NOT NULL,
                trial  TEXT NOT NULL,
                record BLOB NOT NULL,
                PRIMARY KEY (sweep, trial));
            CREATE TABLE IF NOT EXISTS trial_evaluations (
                id    INTEGER PRIMARY KEY,
                sweep TEXT NOT NULL,
                trial TEXT NOT NULL,
                point BLOB NOT NULL);
            CREATE INDEX IF NOT EXISTS trial_evaluations_by_sweep ON trial_evaluations (sweep, id);
            CREATE TABLE IF NOT EXISTS sweep_specs (
                sweep TEXT NOT NULL,
                part  INTEGER NOT NULL,
                bytes BLOB NOT NULL,
                PRIMARY KEY (sweep, part));
            """);

    public async Task<long> ClaimAsync(string sweepId)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO sweep_epochs (sweep, epoch) VALUES ($sweep, 1)
            ON CONFLICT (sweep) DO UPDATE SET epoch = epoch + 1
            RETURNING epoch
            """;
        command.Parameters.AddWithValue("$sweep", sweepId);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public async Task<StoredTrials> ReadAsync(string sweepId)
    {
        await using var connection = database.Open();
        // One snapshot for the three reads: a write landing between them would otherwise show half.
        await using var transaction = connection.BeginTransaction(deferred: true);
        var cancelled = await Scalar(connection, transaction, "SELECT cancelled FROM sweep_epochs WHERE sweep = $sweep", sweepId) is long c && c != 0;
        var records = await Rows(connection, transaction, "SELECT trial, record FROM trial_records WHERE sweep = $sweep", sweepId);
        var evaluations = await Rows(connection, transaction, "SELECT trial, point FROM trial_evaluations WHERE sweep = $sweep ORDER BY id", sweepId);
        return new StoredTrials(cancelled, records, evaluations);
    }

    public async Task<IReadOnlyList<KeyValuePair<string, byte[]>>> ReadRecordsAsync(string sweepId, IReadOnlyList<string> trialIds)
    {
        await using var connection = database.Open();
        await using var command = Command(connection, null, "SELECT trial, record FROM trial_records WHERE sweep = $sweep AND trial = $trial", sweepId);
        var trial = command.Parameters.Add("$trial", SqliteType.Text);
        var rows = new List<KeyValuePair<string, byte[]>>(trialIds.Count);
        // One prepared lookup per trial on the primary key: as fast as an IN list, with no limit on how many.
        foreach (var id in trialIds)
        {
            trial.Value = id;
            await using var reader = await command.ExecuteReaderAsync();
            if (await reader.ReadAsync()) rows.Add(new(reader.GetString(0), (byte[])reader.GetValue(1)));
        }
        return rows;
    }

    /// <remarks>
    /// The sequence is not checked: the file is written in-process, each write committed before the sweep's writer
    /// hears back, so no write given up on can land after a later one.
    /// </remarks>
    public async Task WriteAsync(string sweepId, long epoch, long sequence, TrialChanges changes)
    {
        await using var connection = database.Open();
        // IMMEDIATE: the write lock is taken before the epoch is read, so no claim can slip in between check and write.
        await using var transaction = connection.BeginTransaction(deferred: false);
        var current = await Scalar(connection, transaction, "SELECT epoch FROM sweep_epochs WHERE sweep = $sweep", sweepId) as long? ?? 0;
        if (current != epoch) throw new StaleEpochException(sweepId, epoch, current);

        if (changes.Records.Count > 0)
        {
            await using var upsert = Command(connection, transaction,
                "INSERT INTO trial_records (sweep, trial, record) VALUES ($sweep, $trial, $bytes) ON CONFLICT (sweep, trial) DO UPDATE SET record = excluded.record",
                sweepId);
            await WriteEach(upsert, changes.Records);
        }
        if (changes.Evaluations.Count > 0)
        {
            await using var append = Command(connection, transaction, "INSERT INTO trial_evaluations (sweep, trial, point) VALUES ($sweep, $trial, $bytes)", sweepId);
            await WriteEach(append, changes.Evaluations);
        }
        if (changes.Cancelled)
        {
            await using var cancel = Command(connection, transaction, "UPDATE sweep_epochs SET cancelled = 1 WHERE sweep = $sweep", sweepId);
            await cancel.ExecuteNonQueryAsync();
        }
        await transaction.CommitAsync();
    }

    public async Task WriteSpecAsync(string sweepId, byte[] spec)
    {
        await using var connection = database.Open();
        await using (var clear = Command(connection, null, "DELETE FROM sweep_specs WHERE sweep = $sweep", sweepId))
            await clear.ExecuteNonQueryAsync();
        // A part per statement: no write holds the file longer than one part takes. Until the sweep's definition names
        // the spec as stored (written after), a half-written spec is never read.
        await using var insert = Command(connection, null, "INSERT INTO sweep_specs (sweep, part, bytes) VALUES ($sweep, $part, $bytes)", sweepId);
        var part = insert.Parameters.Add("$part", SqliteType.Integer);
        var bytes = insert.Parameters.Add("$bytes", SqliteType.Blob);
        foreach (var (number, piece) in ITrialStore.SpecParts(spec).Index())
        {
            (part.Value, bytes.Value) = (number, piece);
            await insert.ExecuteNonQueryAsync();
        }
    }

    public async Task<byte[]?> ReadSpecAsync(string sweepId)
    {
        await using var connection = database.Open();
        await using var command = Command(connection, null, "SELECT bytes FROM sweep_specs WHERE sweep = $sweep ORDER BY part", sweepId);
        await using var reader = await command.ExecuteReaderAsync();
        using var spec = new MemoryStream();
        while (await reader.ReadAsync()) spec.Write((byte[])reader.GetValue(0));
        return spec.Length > 0 ? spec.ToArray() : null;
    }

    private static async Task WriteEach(SqliteCommand command, IReadOnlyList<KeyValuePair<string, byte[]>> rows)
    {
        var trial = command.Parameters.Add("$trial", SqliteType.Text);
        var bytes = command.Parameters.Add("$bytes", SqliteType.Blob);
        foreach (var (id, value) in rows)
        {
            trial.Value = id;
            bytes.Value = value;
            await command.ExecuteNonQueryAsync();
        }
    }

    private static async Task<object?> Scalar(SqliteConnection connection, SqliteTransaction transaction, string sql, string sweepId)
    {
        await using var command = Command(connection, transaction, sql, sweepId);
        return await command.ExecuteScalarAsync();
    }

    private static async Task<List<KeyValuePair<string, byte[]>>> Rows(SqliteConnection connection, SqliteTransaction transaction, string sql, string sweepId)
    {
        await using var command = Command(connection, transaction, sql, sweepId);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<KeyValuePair<string, byte[]>>();
        while (await reader.ReadAsync()) rows.Add(new(reader.GetString(0), (byte[])reader.GetValue(1)));
        return rows;
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql, string sweepId)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.Parameters.AddWithValue("$sweep", sweepId);
        return command;
    }
}
