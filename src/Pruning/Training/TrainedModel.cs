using Sweeps.Pruning.Models;
using Sweeps.Pruning.Text;

namespace Sweeps.Pruning.Training;

/// <summary>
/// A trained classifier read back from disk — a trial's artefact or a fine-tuned Hugging Face folder: the model, its
/// head (outputs in the task's label order) and the encoder for its vocabulary. Distillation uses one as the teacher.
/// </summary>
public sealed record TrainedModel(PretrainedBert Model, ClassifierHead Head, BertTextEncoder Encoder) : IDisposable
{
    public void Dispose()
    {
        Head.Dispose();
        Model.Dispose();
    }
}
