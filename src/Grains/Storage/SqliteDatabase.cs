using Microsoft.Data.Sqlite;

namespace Sweeps.Grains.Storage;

/// <summary>
/// The embedded cluster's SQLite file, as both of its stores open it (grain-state documents and the trial store):
/// its folder made, write-ahead logging on, the schema created once, and each connection waiting up to 30 s for a lock
/// another holds rather than failing at once.
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
        return connection;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
