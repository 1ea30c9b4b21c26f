namespace Sweeps.Pruning.Tasks;

/// <summary>A loaded task a trial can train on: a labelled text task (<see cref="TextTask"/>) or SQuAD (SQuAD).</summary>
public interface ITrialTask
{
    string Name { get; }

    /// <summary>The words a frozen masked-LM head reads: one per label, or the start and end words of a span task.</summary>
    IReadOnlyList<string> LabelWords { get; }
}
