namespace Sweeps.Pruning.Export;

/// <summary>
/// The Hugging Face model class an exported trial becomes, decided by its head: a linear classifier is
/// <c>BertForSequenceClassification</c>, a linear span head <c>BertForQuestionAnswering</c>, and a label-word head (the
/// frozen masked-LM head read at label words) <c>BertForMaskedLM</c> with the words in <c>label_words.json</c>.
/// </summary>
public enum ExportArchitecture
{
    SequenceClassification,
    QuestionAnswering,
    MaskedLm,
}

public static class ExportArchitectureNames
{
    /// <summary>The class name config.json's <c>architectures</c> gives.</summary>
    public static string ClassName(this ExportArchitecture architecture) => architecture switch
    {
        ExportArchitecture.SequenceClassification => "BertForSequenceClassification",
        ExportArchitecture.QuestionAnswering => "BertForQuestionAnswering",
        _ => "BertForMaskedLM",
    };

    /// <summary>The Hugging Face pipeline the model card names.</summary>
    public static string PipelineTag(this ExportArchitecture architecture) => architecture switch
    {
        ExportArchitecture.SequenceClassification => "text-classification",
        ExportArchitecture.QuestionAnswering => "question-answering",
        _ => "fill-mask",
    };
}
