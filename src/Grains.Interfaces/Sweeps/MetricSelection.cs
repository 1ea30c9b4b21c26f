namespace Sweeps.Grains.Interfaces.Sweeps;

/// <summary>Which of a trial's dev evaluations its results show.</summary>
public enum MetricSelection
{
    /// <summary>The best evaluation once the keep fraction reached its target, whose masks and head are the artefact (the reference's choice).</summary>
    Best,
    /// <summary>The evaluation after the last step.</summary>
    Final,
}
