using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sweeps.Grains.Interfaces.Results;
using Sweeps.Grains.Interfaces.Sweeps;

namespace Sweeps.Reports;

/// <summary>
/// A sweep as an Optuna study, in the journal format of Optuna's <c>JournalFileStorage</c> (3.1 and later): one line
/// creating a study named after the sweep, with its objectives' directions (the task's primary metric, maximised,
/// unless a search named others), then one line per trial creating it whole, as Optuna's <c>add_trial</c> writes it.
/// Optuna's own analysis and optuna-dashboard open the file.
/// <list type="bullet">
/// <item>Params are the settings in which the sweep's trials differ (method, keep, a searched learning rate…), named as
/// the results name them; a number is an int or float distribution over the values the sweep has, a string a
/// categorical one. The seed is a user attribute, not a param: it is no setting to tune.</item>
/// <item>A trial with a result is complete with each objective under the sweep's <c>select</c> as its values (one
/// objective: its value; a search's <c>keep</c> objective: the keep its masks achieved); one
/// stopped early is pruned; a failed or cancelled one failed; a running one running; a queued one waiting. Its dev
/// evaluations are intermediate values by step.</item>
/// <item>User attributes: the trial's id, task, seed, the keep its masks achieved, whether it collapsed, and its state
/// as the sweep names it.</item>
/// </list>
/// </summary>
public static class OptunaJournal
{
    // Optuna's enumerations as the journal stores them.
    private const int CreateStudy = 0, CreateTrial = 4;
    private const int Running = 0, Complete = 1, Pruned = 2, Fail = 3, Waiting = 4;
    private const int Minimize = 1, Maximize = 2;

    /// <summary>Settings every trial has that are not hyperparameters: where its inputs are, its seed and its teacher's id.</summary>
    private static readonly HashSet<string> NotParams = ["seed", "data", "model", "inputs", "pool", "distillation.teacher_trial_id", "distillation.teacher_folder"];

    public static string Write(SweepStatus status)
    {
        var worker = $"sweeps-{status.SweepId}";
        var settings = status.Trials.Select(t => ResultCells.AllSettings(t.Spec).ToDictionary(s => s.Key, s => s.Value)).ToList();
        var distributions = Distributions(settings);
        var text = new StringBuilder();
        void Line(JsonObject line) => text.Append(line.ToJsonString()).Append('\n');

        var objectives = status.Objectives is { Count: > 0 } given ? given : [SearchObjective.PrimaryMetric];
        var directions = new JsonArray([.. objectives.Select(o => (JsonNode?)(o.Maximise ? Maximize : Minimize))]);
        Line(new JsonObject { ["op_code"] = CreateStudy, ["worker_id"] = worker, ["study_name"] = $"{status.Name} ({status.SweepId})", ["directions"] = directions });
        for (var i = 0; i < status.Trials.Count; i++)
        {
            var trial = status.Trials[i];
            var outcome = trial.Outcome;
            var curve = outcome?.Curve is { Count: > 0 } finished ? finished : trial.Curve;
            var values = trial.State.HasResult() && outcome is not null ? objectives.Select(o => o.ValueOf(outcome, status.Select)).ToList() : null;
            // Optuna takes no complete trial without every value: one whose outcome lacks a metric is a failed trial to it.
            var state = values is not null && values.Any(double.IsNaN) ? Fail : StateOf(trial.State);
            if (state != Complete) values = null;
            var started = trial.History.FirstOrDefault()?.StartedAt;
            var ended = trial.State.IsFinal() ? trial.History.LastOrDefault()?.EndedAt : null;
            var line = new JsonObject
            {
                ["op_code"] = CreateTrial, ["worker_id"] = worker, ["study_id"] = 0,
                // A trial that has not started has no start, as in Optuna; one reused from the store started with the sweep.
                ["datetime_start"] = state == Waiting ? null : Time(started ?? status.SubmittedAt), ["state"] = state,
                ["value"] = values is [var single] ? single : null, ["values"] = values is { Count: > 1 } several ? new JsonArray([.. several.Select(v => (JsonNode?)v)]) : null,
                ["distributions"] = new JsonObject(distributions.Select(d => KeyValuePair.Create(d.Key, (JsonNode?)JsonValue.Create(d.Value.Json)))),
                ["params"] = new JsonObject(distributions.Select(d => KeyValuePair.Create(d.Key, (JsonNode?)d.Value.Internal(settings[i][d.Key])))),
                ["user_attrs"] = new JsonObject
                {
                    ["trial_id"] = trial.Spec.Id, ["task"] = trial.Spec.Task, ["seed"] = trial.Spec.Seed,
                    ["state"] = trial.State.ToString().ToLowerInvariant(),
                    ["achieved_keep"] = outcome?.AchievedKeepFraction, ["collapsed"] = outcome?.SelectedCollapsed(status.Select),
                },
                ["system_attrs"] = new JsonObject(),
                ["intermediate_values"] = new JsonObject(curve.Where(p => p.Metrics.Count > 0)
                    .Select(p => KeyValuePair.Create(p.Step.ToString(CultureInfo.InvariantCulture), (JsonNode?)p.Metrics[0].Value))),
            };
            if (ended is { } complete) line["datetime_complete"] = Time(complete);
            Line(line);
        }
        return text.ToString();
    }

    private static int StateOf(TrialState state) => state switch
    {
        TrialState.Done or TrialState.Reused => Complete,
        TrialState.Stopped => Pruned,
        TrialState.Failed or TrialState.Cancelled => Fail,
        TrialState.Running => Running,
        _ => Waiting,
    };

    // Optuna reads naive ISO times with microseconds; the sweep's are UTC.
    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff", CultureInfo.InvariantCulture);

    /// <summary>An Optuna distribution as the journal stores it (its JSON as a string) and a value's internal representation.</summary>
    private sealed record OptunaDistribution(string Json, Func<string, JsonNode?> Internal);

    /// <summary>The settings in which the trials differ, each with the distribution that covers the values they have.</summary>
    private static Dictionary<string, OptunaDistribution> Distributions(IReadOnlyList<Dictionary<string, string>> settings)
    {
        var result = new Dictionary<string, OptunaDistribution>();
        foreach (var name in settings.SelectMany(s => s.Keys).Distinct().Where(n => !NotParams.Contains(n)))
        {
            // A setting a trial lacks takes the value the results give it: none.
            var values = settings.Select(s => s.GetValueOrDefault(name, "none")).ToList();
            var distinct = values.Distinct().ToList();
            if (distinct.Count < 2) continue;
            var numbers = distinct.Select(v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) ? x : (double?)null).ToList();
            if (numbers.All(n => n is not null))
            {
                var (low, high) = (numbers.Min()!.Value, numbers.Max()!.Value);
                var integers = numbers.All(n => n == Math.Round(n!.Value));
                var json = integers
                    ? JsonSerializer.Serialize(new { name = "IntDistribution", attributes = new { log = false, step = 1, low = (long)low, high = (long)high } })
                    : JsonSerializer.Serialize(new { name = "FloatDistribution", attributes = new { step = (double?)null, low, high, log = false } });
                result[name] = new OptunaDistribution(json, v => JsonValue.Create(double.Parse(v, CultureInfo.InvariantCulture)));
            }
            else
            {
                var json = JsonSerializer.Serialize(new { name = "CategoricalDistribution", attributes = new { choices = distinct } });
                result[name] = new OptunaDistribution(json, v => JsonValue.Create(distinct.IndexOf(v)));
            }
        }
        return result;
    }
}
