namespace Sweeps.Pruning.Squad;

/// <summary>
/// One window of a SQuAD example as the model sees it: [CLS] question [SEP] context piece [SEP]. For each token, the
/// context word it came from (-1 outside the context) and whether this window gives it the most context on both sides
/// (where overlapping windows disagree, that window's prediction counts). The answer's token span when it lies inside
/// the window, else both positions are 0 ([CLS]).
/// </summary>
public sealed record SquadFeature(
    int ExampleIndex,
    int[] InputIds,
    int[] TokenTypeIds,
    int[] WordOfToken,
    bool[] MaxContext,
    int StartPosition,
    int EndPosition);
