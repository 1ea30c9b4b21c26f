using Microsoft.Data.Sqlite;

namespace Sweeps.Grains.Storage;

/// <summary>
/// The embedded cluster's SQLite file, as both of its stores open it (grain-state documents and the trial store):
/// its folder made, write-ahead logging on (synced at checkpoints), the schema created once, and each connection
/// waiting up to 30 s for a lock another holds rather than failing at once.
/// </summary>
public sealed class SqliteDatabase
{
    private readonly string connectionString;

    /// <param name="schema">Statements that create what the store needs where it is missing (CREATE … IF NOT EXISTS).</param>
    public SqliteDatabase(string path, string schema)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true, DefaultTimeout = 30 }.ToString();
        using var connection = Open();
        Execute(connection, "PRAGMA journal_mode=WAL;");
        Execute(connection, schema);
    }

    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        Execute(connection, "PRAGMA busy_timeout=30000;");
        // With write-ahead logging, NORMAL syncs the log at checkpoints rather than at every commit: a commit survives
        // the process crashing (what the embedded cluster must survive), and the file stays consistent through a power
        // cut, which can only take the last commits back (their results are recovered from the artefact store).
        Execute(connection, "PRAGMA synchronous=NORMAL;");
        return connection;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
