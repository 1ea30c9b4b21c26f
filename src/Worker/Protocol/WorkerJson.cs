using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sweeps.Worker.Protocol;

/// <summary>
/// The worker's wire format: one JSON object per line, enums by name, NaN and infinities allowed (a loss before the
/// first step is NaN). Both ends use these options.
/// </summary>
public static class WorkerJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };

    public static string Line<T>(T message) => JsonSerializer.Serialize(message, Options);

    /// <summary>The message on a line, or null when the line is not one (a native library writing to standard output).</summary>
    public static T? TryRead<T>(string line) where T : class
    {
        if (!line.StartsWith('{')) return null;
        try
        {
            return JsonSerializer.Deserialize<T>(line, Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A command line from the silo; null when the line is not one.</summary>
    public static WorkerCommand? TryReadCommand(string line)
    {
        try
        {
            return JsonSerializer.Deserialize<WorkerCommand>(line, Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
