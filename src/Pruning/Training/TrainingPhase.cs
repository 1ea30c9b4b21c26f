namespace Sweeps.Pruning.Training;

/// <summary>What a trial is doing when it reports progress.</summary>
public enum TrainingPhase
{
    /// <summary>Loading the model and data, computing a teacher's logits, resuming a checkpoint.</summary>
    Preparing,
    Training,
    /// <summary>A dev evaluation (every eval_every steps once the target keep is reached or from eval_from, and at the end).</summary>
    Evaluating,
    Done,
}
