using System.Buffers.Binary;
using System.Text;
using Sweeps.Pruning.Checkpoints;
using Sweeps.Pruning.Models;
using Sweeps.Pruning.Tests.Fixtures;
using Sweeps.Testing;
using static TorchSharp.torch;

namespace Sweeps.Pruning.Tests.Checkpoints;

public sealed class BertCheckpointLoaderTests : IDisposable
{
    private readonly TinyBert tiny = new();

    public void Dispose() => tiny.Dispose();

    [Fact]
    public void Load_SavedTinyBert_EveryParameterRoundTripsExactly()
    {
        TorchSharp.torch.manual_seed(1);
        using var original = new PretrainedBert(TinyBert.Config, withMaskedLmHead: false);
        var (loaded, report) = BertCheckpointLoader.Load(tiny.Folder);
        using (loaded)
        {
            var expected = original.named_parameters().ToDictionary(p => p.name, p => p.parameter);
            foreach (var (name, parameter) in loaded.named_parameters())
                Assert.True(parameter.equal(expected[name]).all().item<bool>(), $"{name} differs after the round trip");
            Assert.Empty(report.Unexpected);
            Assert.Empty(report.OptionalMissing);
        }
    }

    [Fact]
    public void Load_MissingTensor_ErrorNamesTheTensor()
    {
        RewriteWeights(t => t.Remove("encoder.layer.1.attention.self.key.weight"));

        var error = Assert.Throws<ModelFormatException>(() => BertCheckpointLoader.Load(tiny.Folder));
        Assert.Contains("encoder.layer.1.attention.self.key.weight", error.Message);
        Assert.Contains("missing", error.Message);
    }

    [Fact]
    public void Load_MisShapedTensor_ErrorNamesTensorAndBothShapes()
    {
        RewriteWeights(t => t["encoder.layer.0.intermediate.dense.weight"] = zeros(32, 64));

        var error = Assert.Throws<ModelFormatException>(() => BertCheckpointLoader.Load(tiny.Folder));
        Assert.Contains("encoder.layer.0.intermediate.dense.weight", error.Message);
        Assert.Contains("[32, 64]", error.Message);
        Assert.Contains("[64, 32]", error.Message);
    }

    [Fact]
    public void Load_ExtraTensors_AreListedAsUnexpected()
    {
        RewriteWeights(t =>
        {
            t["classifier.weight"] = zeros(2, 32);
            t["embeddings.position_ids"] = zeros(1, 64);
        });

        var (model, report) = BertCheckpointLoader.Load(tiny.Folder);
        model.Dispose();
        Assert.Equal(["classifier.weight"], report.Unexpected);
    }

    [Fact]
    public void Load_TruncatedWeights_ErrorSaysTheDataIsShort()
    {
        var bytes = File.ReadAllBytes(tiny.Folder.WeightsPath);
        File.WriteAllBytes(tiny.Folder.WeightsPath, bytes[..(bytes.Length - 100)]);

        var error = Assert.Throws<ModelFormatException>(() => BertCheckpointLoader.Load(tiny.Folder));
        Assert.Contains(tiny.Folder.WeightsPath, error.Message);
        Assert.Contains("outside", error.Message);
    }

    [Fact]
    public void Load_HeaderLengthBeyondFile_ErrorSaysTruncated()
    {
        var bytes = File.ReadAllBytes(tiny.Folder.WeightsPath);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)bytes.Length * 2);
        File.WriteAllBytes(tiny.Folder.WeightsPath, bytes);

        var error = Assert.Throws<ModelFormatException>(() => BertCheckpointLoader.Load(tiny.Folder));
        Assert.Contains("truncated", error.Message);
    }

    [Fact]
    public void Load_HeaderWithOverlappingOffsets_ErrorNamesBothTensors()
    {
        var bytes = File.ReadAllBytes(tiny.Folder.WeightsPath);
        var headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        var header = Encoding.UTF8.GetString(bytes, 8, headerLength);
        // Point the pooler bias at the first bytes of the data section, which another tensor already owns.
        var json = System.Text.Json.Nodes.JsonNode.Parse(header)!.AsObject();
        json["pooler.dense.bias"]!["data_offsets"] = new System.Text.Json.Nodes.JsonArray(0, 128);
        var rewritten = Encoding.UTF8.GetBytes(json.ToJsonString().PadRight(headerLength));
        Assert.Equal(headerLength, rewritten.Length);
        rewritten.CopyTo(bytes, 8);
        File.WriteAllBytes(tiny.Folder.WeightsPath, bytes);

        var error = Assert.Throws<ModelFormatException>(() => BertCheckpointLoader.Load(tiny.Folder));
        Assert.Contains("overlap", error.Message);
        Assert.Contains("pooler.dense.bias", error.Message);
    }

    [Fact]
    public void Load_ConfigMissingKeys_ErrorNamesFileAndKeys()
    {
        var config = File.ReadAllText(tiny.Folder.ConfigPath).Replace("\"num_attention_heads\"", "\"heads\"");
        File.WriteAllText(tiny.Folder.ConfigPath, config);

        var error = Assert.Throws<ModelFormatException>(() => BertCheckpointLoader.Load(tiny.Folder));
        Assert.Contains("config.json", error.Message);
        Assert.Contains("num_attention_heads", error.Message);
    }

    [Fact]
    public void Open_FolderWithoutWeights_ErrorListsMissingFiles()
    {
        File.Delete(tiny.Folder.WeightsPath);

        var error = Assert.Throws<ModelFormatException>(() => ModelFolder.Open(tiny.Directory));
        Assert.Contains("model.safetensors", error.Message);
    }

    [Fact]
    public void Load_MaskedLmCheckpointWithoutPooler_LoadsTiedHeadAndReportsPoolerAsOptional()
    {
        using var withHead = new TinyBert(withMaskedLmHead: true);
        RewriteWeights(withHead.Folder, t =>
        {
            t.Remove("bert.pooler.dense.weight");
            t.Remove("bert.pooler.dense.bias");
        });

        var (model, report) = BertCheckpointLoader.Load(withHead.Folder);
        using (model)
        {
            Assert.NotNull(model.MaskedLmHead);
            Assert.Equal(["bert.pooler.dense.bias", "bert.pooler.dense.weight"], report.OptionalMissing.Order());
            using var hidden = randn(1, 3, 32);
            using var all = model.MaskedLmHead!.forward(hidden, null);
            using var labelWords = model.MaskedLmHead.forward(hidden, [22, 23]);
            Assert.Equal(new long[] { 1, 3, TinyBert.Vocabulary.Length }, all.shape);
            Assert.True(labelWords.allclose(all.index_select(2, tensor(new long[] { 22, 23 }))));
        }
    }

    [Fact]
    public void Load_HuggingFaceMaskedLmCheckpoint_DecoderTiedToWordEmbeddingsGivesTheHeadsVocabularyLogits()
    {
        // As BertForMaskedLM saves itself: bert.* encoder, cls.predictions.transform.*, cls.predictions.bias and the
        // decoder weight stored as a copy of the word embeddings (tied), plus the decoder's own bias alias.
        using var withHead = new TinyBert(withMaskedLmHead: true, seed: 11);
        Dictionary<string, Tensor> stored = [];
        RewriteWeights(withHead.Folder, t =>
        {
            Assert.Contains("bert.embeddings.word_embeddings.weight", t.Keys);
            Assert.Contains("cls.predictions.transform.dense.weight", t.Keys);
            t["cls.predictions.decoder.weight"] = t["bert.embeddings.word_embeddings.weight"].clone();
            t["cls.predictions.decoder.bias"] = t["cls.predictions.bias"].clone();
            stored = t;
        });

        var (model, report) = BertCheckpointLoader.Load(withHead.Folder);
        using (model)
        {
            Assert.Empty(report.Unexpected);
            using var hidden = randn(2, 3, 32);
            using var logits = model.MaskedLmHead!.forward(hidden, null);

            // The head by hand: dense → GELU → LayerNorm, then the word embeddings as the decoder, plus the bias.
            var dense = nn.functional.linear(hidden, stored["cls.predictions.transform.dense.weight"], stored["cls.predictions.transform.dense.bias"]);
            var normed = nn.functional.layer_norm(nn.functional.gelu(dense), [32],
                stored["cls.predictions.transform.LayerNorm.weight"], stored["cls.predictions.transform.LayerNorm.bias"], 1e-12);
            var expected = nn.functional.linear(normed, stored["bert.embeddings.word_embeddings.weight"], stored["cls.predictions.bias"]);
            Assert.True(logits.allclose(expected, 1e-5, 1e-5));
        }
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Load_WeightThatIsNotFinite_IsRefusedNamingTheTensor(double value)
    {
        RewriteWeights(t => t["encoder.layer.0.attention.self.value.weight"][3, 5] = value);

        var error = Assert.Throws<ModelFormatException>(() => BertCheckpointLoader.Load(tiny.Folder));

        Assert.Contains(tiny.Folder.WeightsPath, error.Message);
        Assert.Contains("tensor 'encoder.layer.0.attention.self.value.weight' holds 1 of", error.Message);
        Assert.Contains("not finite", error.Message);
    }

    private void RewriteWeights(Action<Dictionary<string, Tensor>> change) => RewriteWeights(tiny.Folder, change);

    private static void RewriteWeights(ModelFolder folder, Action<Dictionary<string, Tensor>> change)
    {
        Dictionary<string, Tensor> tensors;
        using (var file = SafetensorsFile.Open(folder.WeightsPath))
            tensors = file.Entries.Keys.ToDictionary(n => n, file.ReadFloat32);
        change(tensors);
        SafetensorsFile.Write(folder.WeightsPath, tensors);
    }
}
