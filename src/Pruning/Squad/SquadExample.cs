namespace Sweeps.Pruning.Squad;

/// <summary>One SQuAD question on its context paragraph, with the gold answers (the first is the training target).</summary>
public sealed record SquadExample(string Id, string Question, string Context, IReadOnlyList<SquadAnswer> Answers);

/// <summary>A gold answer: its text and where it starts in the context (in characters).</summary>
public sealed record SquadAnswer(string Text, int Start);
