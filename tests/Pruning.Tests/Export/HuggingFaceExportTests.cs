using System.Text.Json;
using Sweeps.Pruning.Checkpoints;
using Sweeps.Pruning.Export;
using Sweeps.Pruning.Models;
using Sweeps.Pruning.Text;
using Sweeps.Pruning.Training;
using Sweeps.Pruning.Trials;
using Sweeps.Testing;
using TorchSharp;
using static TorchSharp.torch;

namespace Sweeps.Pruning.Tests.Export;

[Collection(FinishedTrialsCollection.Name)]
public sealed class HuggingFaceExportTests(FinishedTrials trials) : IDisposable
{
    private readonly TemporaryFolder output = new();

    public void Dispose() => output.Dispose();

    private string Destination => Path.Combine(output.Path, "exported");

    private ExportResult Export(string trialId, ExportPrecision dtype = ExportPrecision.Fp32, bool force = false) =>
        TrialExporter.Export(new ExportRequest(trials.Store, trialId, Destination, DType: dtype, Force: force), trials.Cache);

    // Hugging Face's parameter names for BERT's encoder (modeling_bert.py, as save_pretrained writes them), for the
    // tiny model's two layers, with the shapes its config gives (vocabulary 40, hidden 32, intermediate 64, positions 64).
    private static List<(string Name, long[] Shape)> EncoderNames()
    {
        var names = new List<(string, long[])>
        {
            ("bert.embeddings.word_embeddings.weight", [40, 32]),
            ("bert.embeddings.position_embeddings.weight", [64, 32]),
            ("bert.embeddings.token_type_embeddings.weight", [2, 32]),
            ("bert.embeddings.LayerNorm.weight", [32]),
            ("bert.embeddings.LayerNorm.bias", [32]),
        };
        for (var layer = 0; layer < 2; layer++)
        {
            var prefix = $"bert.encoder.layer.{layer}.";
            names.AddRange(
            [
                (prefix + "attention.self.query.weight", [32, 32]), (prefix + "attention.self.query.bias", [32]),
                (prefix + "attention.self.key.weight", [32, 32]), (prefix + "attention.self.key.bias", [32]),
                (prefix + "attention.self.value.weight", [32, 32]), (prefix + "attention.self.value.bias", [32]),
                (prefix + "attention.output.dense.weight", [32, 32]), (prefix + "attention.output.dense.bias", [32]),
                (prefix + "attention.output.LayerNorm.weight", [32]), (prefix + "attention.output.LayerNorm.bias", [32]),
                (prefix + "intermediate.dense.weight", [64, 32]), (prefix + "intermediate.dense.bias", [64]),
                (prefix + "output.dense.weight", [32, 64]), (prefix + "output.dense.bias", [32]),
                (prefix + "output.LayerNorm.weight", [32]), (prefix + "output.LayerNorm.bias", [32]),
            ]);
        }
        return names;
    }

    private static void AssertTensors(IEnumerable<(string Name, long[] Shape)> expected, string folder)
    {
        using var file = SafetensorsFile.Open(Path.Combine(folder, ModelFolder.WeightsFileName));
        var written = file.Entries.Values.OrderBy(e => e.Name, StringComparer.Ordinal).Select(e => $"{e.Name} [{string.Join(", ", e.Shape)}]");
        Assert.Equal(expected.Select(e => $"{e.Name} [{string.Join(", ", e.Shape)}]").Order(StringComparer.Ordinal), written);
        Assert.Equal("pt", file.Metadata["format"]);
    }

    private TokenBatch DevBatch(BertTextEncoder encoder)
    {
        var (batch, _) = new TextBatcher(encoder, 16, 32).Batches(trials.Task.Dev.First().Value).First();
        return batch;
    }

    // The trial's own logits: its artefact loaded as training left it (base weights, masks, head).
    private float[] TrialLogits(string trialId)
    {
        using var trained = TrialArtifact.Load(trials.Store.FolderOf(trialId), trials.Cache);
        using var batch = DevBatch(trained.Encoder);
        using var noGrad = no_grad();
        using var hidden = trained.Model.call(batch.InputIds, batch.TokenTypeIds, batch.AttentionMask);
        using var logits = trained.Head.call(hidden, batch.InputIds);
        return logits.data<float>().ToArray();
    }

    private static void AssertClose(float[] expected, float[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        var worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(worst <= tolerance, $"largest difference {worst:G3} exceeds {tolerance:G3}");
    }

    [Fact]
    public void Export_LinearHead_IsBertForSequenceClassificationWithHuggingFacesNamesAndShapes()
    {
        Export(FinishedTrials.Linear);

        var expected = EncoderNames();
        expected.AddRange([("bert.pooler.dense.weight", [32, 32]), ("bert.pooler.dense.bias", [32]), ("classifier.weight", [2, 32]), ("classifier.bias", [2])]);
        AssertTensors(expected, Destination);
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(Destination, "config.json")));
        Assert.Equal("BertForSequenceClassification", config.RootElement.GetProperty("architectures")[0].GetString());
        Assert.Equal("ham", config.RootElement.GetProperty("id2label").GetProperty("0").GetString());
        Assert.Equal(1, config.RootElement.GetProperty("label2id").GetProperty("spam").GetInt32());
        Assert.Equal(32, config.RootElement.GetProperty("hidden_size").GetInt32());
        Assert.Equal(File.ReadAllBytes(trials.Plain.Folder.VocabPath), File.ReadAllBytes(Path.Combine(Destination, "vocab.txt")));
        Assert.True(File.Exists(Path.Combine(Destination, "tokenizer_config.json")));
    }

    [Fact]
    public void Export_LinearHead_OurEngineReadingItAsAPlainModelGivesTheTrialsLogits()
    {
        var expected = TrialLogits(FinishedTrials.Linear);
        Export(FinishedTrials.Linear);

        AssertClose(expected, SequenceClassificationLogits(), 1e-5);
    }

    [Fact]
    public void Export_PooledHead_WritesTheTrialsOwnPoolerAndClassifier_AndGivesTheTrialsLogits()
    {
        var expected = TrialLogits(FinishedTrials.Pooled);
        var result = Export(FinishedTrials.Pooled);

        Assert.Equal(ExportArchitecture.SequenceClassification, result.Architecture);
        var names = EncoderNames();
        names.AddRange([("bert.pooler.dense.weight", [32, 32]), ("bert.pooler.dense.bias", [32]), ("classifier.weight", [2, 32]), ("classifier.bias", [2])]);
        AssertTensors(names, Destination);
        // The pooler is the head's, as the trial trained it, not a scaled identity; the classifier is not rescaled.
        using (var artefact = SafetensorsFile.Open(Path.Combine(trials.Store.FolderOf(FinishedTrials.Pooled), TrialArtifact.FileName)))
        using (var exported = SafetensorsFile.Open(Path.Combine(Destination, ModelFolder.WeightsFileName)))
        {
            Assert.Equal("true", artefact.Metadata["pooler"]);
            foreach (var (ours, theirs) in new[] { ("pooler.dense.weight", "bert.pooler.dense.weight"), ("classifier.weight", "classifier.weight") })
            {
                using var trained = artefact.ReadFloat32(ours);
                using var written = exported.ReadFloat32(theirs);
                Assert.True(trained.equal(written).all().item<bool>(), $"{theirs} is not the trial's {ours}");
            }
        }
        AssertClose(expected, SequenceClassificationLogits(), 1e-5);
        Assert.Contains("reads the pooler's output", File.ReadAllText(Path.Combine(Destination, ModelCard.FileName)));
    }

    /// <summary>An exported trial is a teacher for distillation as it is: read through its pooler, it gives the trial's logits.</summary>
    [Theory]
    [InlineData(FinishedTrials.Linear)] // a near-identity pooler and a classifier scaled to match
    [InlineData(FinishedTrials.Pooled)] // the pooler the trial trained
    public void Export_LoadedAsAFineTunedTeacher_GivesTheTrialsLogits(string trialId)
    {
        var expected = TrialLogits(trialId);
        Export(trialId);

        using var teacher = FineTunedTeacher.Load(Destination, trials.Task);
        using var batch = DevBatch(teacher.Encoder);
        using var noGrad = no_grad();
        using var hidden = teacher.Model.call(batch.InputIds, batch.TokenTypeIds, batch.AttentionMask);
        using var logits = teacher.Head.call(hidden, batch.InputIds);

        AssertClose(expected, logits.data<float>().ToArray(), 1e-4);
    }

    /// <summary>The exported folder's logits on the dev batch as BertForSequenceClassification computes them: classifier(pooler(encoder(x))), with no masks anywhere.</summary>
    private float[] SequenceClassificationLogits() => HeadLogits("classifier", pooled: true);

    /// <summary>
    /// The exported folder read as a plain model (float32, whatever the stored precision; no masks), its linear head
    /// <paramref name="head"/> applied to the pooler's output or to every token's last hidden state.
    /// </summary>
    private float[] HeadLogits(string head, bool pooled)
    {
        var folder = ModelFolder.Open(Destination);
        var (plain, _) = BertCheckpointLoader.Load(folder);
        using (plain)
        using (var file = SafetensorsFile.Open(folder.WeightsPath))
        using (var weight = file.ReadFloat32(head + ".weight"))
        using (var bias = file.ReadFloat32(head + ".bias"))
        using (var batch = DevBatch(BertTextEncoder.Load(folder)))
        using (no_grad())
        {
            using var hidden = plain.call(batch.InputIds, batch.TokenTypeIds, batch.AttentionMask);
            using var input = pooled ? plain.Encoder.Pool(hidden) : hidden.alias();
            using var logits = nn.functional.linear(input, weight, bias);
            return logits.data<float>().ToArray();
        }
    }

    [Fact]
    public void Export_EveryPrunedWeightIsExactlyZero_AndEachMatrixKeepsWhatTheArtefactKeeps()
    {
        var result = Export(FinishedTrials.Linear);

        var artefact = TrialArtifact.ReadKeepFractions(trials.Store.FolderOf(FinishedTrials.Linear))!.Value;
        using var trained = TrialArtifact.Load(trials.Store.FolderOf(FinishedTrials.Linear), trials.Cache);
        using var file = SafetensorsFile.Open(Path.Combine(Destination, ModelFolder.WeightsFileName));
        var matrices = Sweeps.Pruning.Smp.PrunableMatrix.Of(trained.Model);
        Assert.Equal(12, matrices.Count);
        foreach (var matrix in matrices)
        {
            using var exported = file.ReadFloat32(matrix.Name + ".weight");
            var values = exported.data<float>().ToArray();
            var mask = matrix.Module.Mask!.data<float>().ToArray();
            for (var i = 0; i < values.Length; i++)
                if (mask[i] == 0) Assert.True(values[i] == 0 && !float.IsNegative(values[i]), $"{matrix.Name}[{i}] is pruned but stored as {values[i]}");
            var kept = values.Count(v => v != 0) / (double)values.Length;
            Assert.Equal(artefact.PerMatrix[matrix.Name], kept, 12);
        }
        Assert.True(result.Sizes.CompressedWeightsBytes < result.Sizes.WeightsBytes, "zeros compress");
        Assert.Equal(new FileInfo(Path.Combine(trials.Store.FolderOf(FinishedTrials.Linear), TrialArtifact.FileName)).Length, result.Sizes.ArtifactBytes);
    }

    [Fact]
    public void Export_LabelWordHead_IsBertForMaskedLMWithItsLabelWords_AndGivesTheTrialsLogits()
    {
        var expected = TrialLogits(FinishedTrials.LabelWords);
        var result = Export(FinishedTrials.LabelWords);

        Assert.Equal(ExportArchitecture.MaskedLm, result.Architecture);
        var names = EncoderNames();
        names.AddRange([
            ("cls.predictions.bias", [40]), ("cls.predictions.transform.dense.weight", [32, 32]), ("cls.predictions.transform.dense.bias", [32]),
            ("cls.predictions.transform.LayerNorm.weight", [32]), ("cls.predictions.transform.LayerNorm.bias", [32]),
        ]);
        AssertTensors(names, Destination);
        using var words = JsonDocument.Parse(File.ReadAllText(Path.Combine(Destination, LabelWords.FileName)));
        var ids = words.RootElement.GetProperty("label_word_ids").EnumerateArray().Select(e => e.GetInt64()).ToArray();
        Assert.Equal([23L, 22L], ids); // "no", "yes": the tiny task's words for ham and spam
        Assert.Equal(["no", "yes"], words.RootElement.GetProperty("label_words").EnumerateArray().Select(e => e.GetString()));

        var folder = ModelFolder.Open(Destination);
        var (plain, _) = BertCheckpointLoader.Load(folder);
        var encoder = BertTextEncoder.Load(folder);
        using (plain)
        using (var head = new LabelWordHead(plain.MaskedLmHead!, ids, encoder.MaskTokenId))
        using (var batch = DevBatch(encoder))
        using (no_grad())
        {
            using var hidden = plain.call(batch.InputIds, batch.TokenTypeIds, batch.AttentionMask);
            using var logits = head.call(hidden, batch.InputIds);
            AssertClose(expected, logits.data<float>().ToArray(), 1e-5);
        }
    }

    [Fact]
    public void Export_ModelCard_NamesTheBaseModelTaskMethodKeepMetricsAndTrial()
    {
        var result = Export(FinishedTrials.Linear);

        var card = File.ReadAllText(Path.Combine(Destination, ModelCard.FileName));
        Assert.Contains(trials.Plain.Directory, card);
        Assert.Contains("tiny-spam", card);
        Assert.Contains("smp-s", card);
        Assert.Contains(FinishedTrials.Linear, card);
        Assert.Contains("bert.encoder.layer.1.output.dense", card);
        foreach (var name in result.Trial.DevMetrics.Keys) Assert.Contains($"dev {name}", card);
    }

    [Theory]
    [InlineData(ExportPrecision.Fp16, 1e-2)]
    [InlineData(ExportPrecision.Bf16, 5e-2)]
    public void Export_HalfPrecision_OurEngineReadingItGivesTheTrialsLogitsToThatPrecision(ExportPrecision dtype, double tolerance)
    {
        var expected = TrialLogits(FinishedTrials.Linear);
        Export(FinishedTrials.Linear, dtype);

        AssertClose(expected, SequenceClassificationLogits(), tolerance);
    }

    [Theory]
    [InlineData(ExportPrecision.Fp16, "F16")]
    [InlineData(ExportPrecision.Bf16, "BF16")]
    public void Export_HalfPrecision_HalvesTheWeightsAndKeepsPrunedWeightsZero(ExportPrecision dtype, string safetensorsType)
    {
        var full = Export(FinishedTrials.Linear).Sizes.WeightsBytes;
        var half = Export(FinishedTrials.Linear, dtype, force: true);

        Assert.InRange(half.Sizes.WeightsBytes, full / 2 - 4096, full / 2 + 4096); // the header differs a little
        using var file = SafetensorsFile.Open(Path.Combine(Destination, ModelFolder.WeightsFileName));
        Assert.All(file.Entries.Values, e => Assert.Equal(safetensorsType, e.DType));
        using var exported = file.ReadFloat32("bert.encoder.layer.0.attention.self.query.weight");
        using var full32 = TrialArtifact.Load(trials.Store.FolderOf(FinishedTrials.Linear), trials.Cache);
        var mask = Sweeps.Pruning.Smp.PrunableMatrix.Of(full32.Model)[0].Module.Mask!.data<float>().ToArray();
        var values = exported.data<float>().ToArray();
        Assert.Equal(mask.Count(m => m != 0), values.Count(v => v != 0));
    }

    [Fact]
    public void Export_LinearSpanHead_IsBertForQuestionAnswering_AndGivesTheTrialsStartAndEndLogits()
    {
        var expected = TrialLogits(FinishedTrials.Span);
        var result = Export(FinishedTrials.Span);

        Assert.Equal(ExportArchitecture.QuestionAnswering, result.Architecture);
        var names = EncoderNames();
        names.AddRange([("qa_outputs.weight", [2, 32]), ("qa_outputs.bias", [2])]);
        AssertTensors(names, Destination);
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(Destination, "config.json")));
        Assert.Equal("BertForQuestionAnswering", config.RootElement.GetProperty("architectures")[0].GetString());

        // As BertForQuestionAnswering computes: qa_outputs on every token's last hidden state.
        AssertClose(expected, HeadLogits("qa_outputs", pooled: false), 1e-5);
    }

    [Fact]
    public void Export_LabelWordSpanHead_IsBertForMaskedLMWithItsStartAndEndWords_AndGivesTheTrialsLogits()
    {
        var expected = TrialLogits(FinishedTrials.LabelWordSpan);
        Export(FinishedTrials.LabelWordSpan);

        using var words = JsonDocument.Parse(File.ReadAllText(Path.Combine(Destination, LabelWords.FileName)));
        Assert.Equal("span", words.RootElement.GetProperty("head").GetString());
        Assert.Equal(["yes", "no"], words.RootElement.GetProperty("label_words").EnumerateArray().Select(e => e.GetString()));
        var ids = words.RootElement.GetProperty("label_word_ids").EnumerateArray().Select(e => e.GetInt64()).ToArray();

        var (plain, _) = BertCheckpointLoader.Load(ModelFolder.Open(Destination));
        using (plain)
        using (var head = new Sweeps.Pruning.Squad.LabelWordSpanHead(plain.MaskedLmHead!, ids))
        using (var batch = DevBatch(BertTextEncoder.Load(ModelFolder.Open(Destination))))
        using (no_grad())
        {
            using var hidden = plain.call(batch.InputIds, batch.TokenTypeIds, batch.AttentionMask);
            using var logits = head.call(hidden, batch.InputIds);
            AssertClose(expected, logits.data<float>().ToArray(), 1e-5);
        }
    }
}
