using System.Globalization;
using Sweeps.Artifacts;

namespace Sweeps.Pruning.Training;

/// <summary>
/// Where a collapsed trial first predicted one class for every dev example, with its mask churn then: whether the
/// masks were still being redrawn (a ranking that never settled) or had settled on masks that cannot tell the classes
/// apart.
/// </summary>
public static class CollapseOnset
{
    /// <summary>
    /// The first collapsed evaluation (they are in step order), where the best or the final evaluation collapsed; null
    /// where neither did, since an evaluation that collapsed and recovered explains no result.
    /// </summary>
    public static DevEvaluation? Of(IReadOnlyList<DevEvaluation> evaluations, DevEvaluation best, DevEvaluation final) =>
        best.Collapsed || final.Collapsed ? evaluations.FirstOrDefault(e => e.Collapsed) : null;

    /// <summary>"first collapsed to one class at the evaluation at step 128, when 3.1% of the mask bits had changed since the previous evaluation".</summary>
    public static string Note(IReadOnlyList<DevEvaluation> evaluations, DevEvaluation onset)
    {
        var at = $"first collapsed to one class at the evaluation at step {onset.Step}";
        if (onset.MaskChurn is not { } churn) return at + " (no masks)";
        var since = onset.Step == evaluations[0].Step ? "since the start (every weight kept)" : "since the previous evaluation";
        return at + string.Create(CultureInfo.InvariantCulture, $", when {churn * 100:0.0}% of the mask bits had changed {since}");
    }
}
