using Microsoft.Data.Sqlite;
using Orleans.Storage;

namespace Sweeps.Grains.Storage;

/// <summary>
/// Grain state in one SQLite file (the embedded default): a row per (state name, grain id) with the serialised state
/// and an integer version as ETag. A write whose ETag is not the stored one fails with
/// <see cref="InconsistentStateException"/>, so two activations of a grain can never overwrite each other.
/// </summary>
public sealed class SqliteGrainStorage : IGrainStorage
{
    private readonly SqliteDatabase database;
    private readonly IGrainStorageSerializer serializer;

    public SqliteGrainStorage(string path, IGrainStorageSerializer serializer)
    {
        this.serializer = serializer;
        database = new SqliteDatabase(path, """
            CREATE TABLE IF NOT EXISTS grain_state (
                state_name TEXT NOT NULL,
                grain_id   TEXT NOT NULL,
                version    INTEGER NOT NULL,
                payload    BLOB NOT NULL,
                PRIMARY KEY (state_name, grain_id));
            """);
    }

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        await using var connection = database.Open();
        await using var command = Command(connection, "SELECT version, payload FROM grain_state WHERE state_name = $name AND grain_id = $id", stateName, grainId);
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
        {
            grainState.State = Activator.CreateInstance<T>();
            grainState.ETag = null;
            grainState.RecordExists = false;
            return;
        }
        var version = reader.GetInt64(0);
        var payload = (byte[])reader.GetValue(1);
        grainState.State = serializer.Deserialize<T>(new BinaryData(payload));
        grainState.ETag = version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var payload = serializer.Serialize(grainState.State).ToArray();
        await using var connection = database.Open();
        long next;
        if (grainState.ETag is null)
        {
            await using var insert = Command(connection,
                "INSERT INTO grain_state (state_name, grain_id, version, payload) VALUES ($name, $id, 1, $payload) ON CONFLICT DO NOTHING",
                stateName, grainId);
            insert.Parameters.AddWithValue("$payload", payload);
            if (await insert.ExecuteNonQueryAsync() == 0) throw Conflict(stateName, grainId, "the record exists already");
            next = 1;
        }
        else
        {
            var expected = long.Parse(grainState.ETag, System.Globalization.CultureInfo.InvariantCulture);
            await using var update = Command(connection,
                "UPDATE grain_state SET version = version + 1, payload = $payload WHERE state_name = $name AND grain_id = $id AND version = $version",
                stateName, grainId);
            update.Parameters.AddWithValue("$payload", payload);
            update.Parameters.AddWithValue("$version", expected);
            if (await update.ExecuteNonQueryAsync() == 0) throw Conflict(stateName, grainId, $"version {expected} is no longer the stored one");
            next = expected + 1;
        }
        grainState.ETag = next.ToString(System.Globalization.CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        await using var connection = database.Open();
        await using var delete = Command(connection, "DELETE FROM grain_state WHERE state_name = $name AND grain_id = $id AND version = $version", stateName, grainId);
        delete.Parameters.AddWithValue("$version", grainState.ETag is null ? -1 : long.Parse(grainState.ETag, System.Globalization.CultureInfo.InvariantCulture));
        if (await delete.ExecuteNonQueryAsync() == 0 && grainState.ETag is not null) throw Conflict(stateName, grainId, "the stored version changed");
        grainState.State = Activator.CreateInstance<T>();
        grainState.ETag = null;
        grainState.RecordExists = false;
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, string stateName, GrainId grainId)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$name", stateName);
        command.Parameters.AddWithValue("$id", grainId.ToString());
        return command;
    }

    private static InconsistentStateException Conflict(string stateName, GrainId grainId, string why) =>
        new($"State '{stateName}' of {grainId} was written by another activation: {why}");
}
