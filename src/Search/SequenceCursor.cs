namespace Sweeps.Search;

/// <summary>
/// The n-th item of a deterministic sequence, for samplers whose points are a sequence's: asked in order (as a sweep
/// asks), each item is drawn once; asked for an earlier one, the sequence starts over.
/// </summary>
/// <param name="start">Starts the sequence afresh and returns its generator.</param>
internal sealed class SequenceCursor<T>(Func<Func<T>> start)
{
    private Func<T> next = start();
    private int drawn;

    public T At(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        if (index < drawn) (next, drawn) = (start(), 0);
        for (; drawn < index; drawn++) next();
        drawn++;
        return next();
    }
}
