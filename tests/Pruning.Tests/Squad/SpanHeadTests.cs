using Sweeps.Pruning.Checkpoints;
using Sweeps.Pruning.Squad;
using Sweeps.Pruning.Text;
using Sweeps.Pruning.Training;
using Sweeps.Testing;
using static TorchSharp.torch;

namespace Sweeps.Pruning.Tests.Squad;

/// <summary>The two span heads on the tiny BERT, and the span losses on logits whose values are worked out by hand.</summary>
public sealed class SpanHeadTests
{
    [Fact]
    public void LinearSpanHead_GivesEveryTokenAStartAndAnEndLogit_AndTrains()
    {
        using var head = new LinearSpanHead(TinyBert.Config.HiddenSize);
        using var hidden = randn(2, 5, TinyBert.Config.HiddenSize);
        using var inputIds = zeros(2, 5, ScalarType.Int64);

        using var logits = head.call(hidden, inputIds);

        Assert.Equal([2L, 5, 2], logits.shape);
        Assert.Equal(2, head.TrainableParameters.Count()); // qa_outputs.weight and .bias
        Assert.Equal(["qa_outputs.weight", "qa_outputs.bias"], head.named_parameters().Select(p => p.name));
    }

    [Fact]
    public void LabelWordSpanHead_ReadsTheTwoWordsLogitsOfTheFrozenMaskedLmHeadAtEveryToken()
    {
        using var tiny = new TinyBert(withMaskedLmHead: true);
        var (model, _) = BertCheckpointLoader.Load(tiny.Folder);
        using var _model = model;
        var encoder = BertTextEncoder.Load(tiny.Folder);
        using var head = LabelWordSpanHead.For(model, encoder, ["yes", "no"], "tiny");
        using var hidden = randn(2, 3, TinyBert.Config.HiddenSize);
        using var inputIds = zeros(2, 3, ScalarType.Int64);

        using var logits = head.call(hidden, inputIds);
        using var vocabulary = model.MaskedLmHead!.call(hidden); // every word's logits

        var yes = Array.IndexOf(TinyBert.Vocabulary, "yes");
        var no = Array.IndexOf(TinyBert.Vocabulary, "no");
        Assert.Equal([yes, no], head.LabelWordIds.Select(i => (int)i));
        Assert.Equal([2L, 3, 2], logits.shape);
        Assert.True(allclose(SpanHead.Start(logits), vocabulary.select(-1, yes), 1e-5, 1e-5));
        Assert.True(allclose(SpanHead.End(logits), vocabulary.select(-1, no), 1e-5, 1e-5));
        Assert.Empty(head.TrainableParameters);
    }

    [Fact]
    public void LabelWordSpanHead_WordOutsideTheVocabulary_IsAnErrorNamingIt()
    {
        using var tiny = new TinyBert(withMaskedLmHead: true);
        var (model, _) = BertCheckpointLoader.Load(tiny.Folder);
        using var _model = model;

        // The tiny vocabulary has no "start": it would read as [UNK], the same id as any other unknown word.
        var error = Assert.Throws<ArgumentException>(() => LabelWordSpanHead.For(model, BertTextEncoder.Load(tiny.Folder), ["start", "end"], "tiny"));

        Assert.Contains("label word 'start' is not in the model's vocabulary", error.Message);
    }

    [Fact]
    public void LabelWordSpanHead_ModelWithoutMaskedLmHead_SaysWhichClassifierToUse()
    {
        using var tiny = new TinyBert();
        var (model, _) = BertCheckpointLoader.Load(tiny.Folder);
        using var _model = model;

        var error = Assert.Throws<ArgumentException>(() => LabelWordSpanHead.For(model, BertTextEncoder.Load(tiny.Folder), ["yes", "no"], "tiny"));

        Assert.Contains("use classifier 'linear'", error.Message);
    }

    [Fact]
    public void Supervised_IsTheMeanOfStartAndEndCrossEntropy()
    {
        // Uniform logits over 4 tokens: each cross-entropy is ln 4, whatever the gold positions.
        using var logits = zeros(3, 4, 2);
        using var loss = SpanLoss.Supervised(logits, tensor(new long[] { 0, 1, 3 }), tensor(new long[] { 2, 2, 3 }));
        Assert.Equal(Math.Log(4), loss.item<float>(), 5);
    }

    [Fact]
    public void Distilled_AveragesTheStartAndEndKlTerms()
    {
        var kd = new DistillationSettings("teacher") { Temperature = 1, AlphaKd = 1, AlphaCe = 0 };
        // Teacher uniform over 2 tokens; student start probabilities (3/4, 1/4), end the same:
        // KL = ½ ln(½ / ¾) + ½ ln(½ / ¼) = ½ ln(4/3) for each, and so for their mean.
        using var teacher = zeros(1, 2, 2);
        using var student = tensor(new float[] { MathF.Log(3), MathF.Log(3), 0, 0 }).reshape(1, 2, 2);
        using var starts = tensor(new long[] { 0 });
        using var ends = tensor(new long[] { 1 });

        using var loss = SpanLoss.Distilled(student, teacher, starts, ends, kd);
        using var same = SpanLoss.Distilled(teacher, teacher, starts, ends, kd with { AlphaCe = 0.5 });

        Assert.Equal(0.5 * Math.Log(4.0 / 3), loss.item<float>(), 5);
        Assert.Equal(0.5 * Math.Log(2), same.item<float>(), 5); // no KL; half the uniform cross-entropy ln 2
    }
}
