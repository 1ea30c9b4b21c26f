namespace Sweeps.Pruning.Training;

/// <summary>How a trial turns the encoder's output into task logits.</summary>
public enum ClassifierMode
{
    /// <summary>The paper's: the frozen masked-LM head read at one label word per class. Needs <c>cls.predictions.*</c>.</summary>
    MaskedLmHead,
    /// <summary>A linear classifier on [CLS], trained beside the scores: for models that ship no masked-LM head.</summary>
    LinearHead,
}

public static class ClassifierModeNames
{
    public static string ToName(this ClassifierMode mode) => mode == ClassifierMode.MaskedLmHead ? "mlm" : "linear";

    /// <summary>Every classifier's name, in words.</summary>
    public const string Expected = "linear or mlm";

    public static ClassifierMode Parse(string name) => name.ToLowerInvariant() switch
    {
        "mlm" => ClassifierMode.MaskedLmHead,
        "linear" => ClassifierMode.LinearHead,
        _ => throw new ArgumentException($"unknown classifier '{name}', expected {Expected}"),
    };
}
