using System.Diagnostics;
using System.Text.Json;

namespace Sweeps.Testing;

/// <summary>
/// Debian's Optuna (python3-optuna, which scripts/test installs), run as a peer: it opens what we write for it and
/// answers what it read, as JSON.
/// </summary>
public static class OptunaPeer
{
    private const string Python = "/usr/bin/python3";

    // Every trial of the journal's one study, as Optuna reads it, and the trials it finds best (its Pareto front for several objectives).
    private const string ReadJournal = """
        import json, sys, warnings
        import optuna
        from optuna.storages import JournalFileStorage, JournalStorage
        warnings.simplefilter("ignore")
        optuna.logging.set_verbosity(optuna.logging.ERROR)
        study = optuna.load_study(study_name=None, storage=JournalStorage(JournalFileStorage(sys.argv[1])))
        print(json.dumps({"name": study.study_name, "directions": [d.name for d in study.directions],
            "best_trials": [t.number for t in study.best_trials], "trials": [
            {"number": t.number, "state": t.state.name, "values": t.values, "params": t.params, "user_attrs": t.user_attrs,
             "intermediate_values": {str(k): v for k, v in t.intermediate_values.items()},
             "started": t.datetime_start.isoformat() if t.datetime_start else None,
             "completed": t.datetime_complete.isoformat() if t.datetime_complete else None}
            for t in study.trials]}))
        """;

    /// <summary>The study in a journal file, as <c>optuna.load_study</c> reads it.</summary>
    /// <exception cref="InvalidOperationException">Optuna is not installed, or failed to read the file.</exception>
    public static JsonElement LoadJournal(string path) => JsonDocument.Parse(Run("-c", ReadJournal, path)).RootElement.Clone();

    /// <summary>Optuna's version, or null where Debian's python3-optuna is not installed.</summary>
    public static string? Version()
    {
        if (!File.Exists(Python)) return null;
        try
        {
            return Run("-c", "import optuna; print(optuna.__version__)").Trim();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>Debian's python3 with <paramref name="arguments"/>; answers what it printed.</summary>
    /// <exception cref="InvalidOperationException">python3 is missing, or exited with an error (its message included).</exception>
    public static string Run(params string[] arguments)
    {
        if (!File.Exists(Python)) throw new InvalidOperationException($"{Python} is missing: install python3-optuna (scripts/test does)");
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(10))) process.Kill(entireProcessTree: true);
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{Python} exited with {process.ExitCode} (python3-optuna installed? scripts/test installs it): {errors.Result}");
        return output.Result;
    }
}
