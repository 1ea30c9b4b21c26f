using Sweeps.Pruning.Tests.Fixtures;

namespace Sweeps.Pruning.Tests.Checkpoints;

[Collection(MiniLmCollection.Name)]
public sealed class OnnxBertImporterTests(MiniLmFixture miniLm)
{
    [Fact]
    public void Import_MiniLm_ReadsItsShapeOffTheGraph()
    {
        var config = miniLm.Model.Config;
        Assert.Equal(6, config.NumHiddenLayers);
        Assert.Equal(384, config.HiddenSize);
        Assert.Equal(12, config.NumAttentionHeads);
        Assert.Equal(1536, config.IntermediateSize);
        Assert.Equal(30522, config.VocabSize);
        Assert.Equal(512, config.MaxPositionEmbeddings);
        Assert.Equal(1e-12, config.LayerNormEps, 1e-15);
    }

    [Fact]
    public void Import_MiniLm_EveryExpectedTensorFoundNothingUnexpected()
    {
        Assert.Empty(miniLm.Report.Unexpected);
        Assert.Empty(miniLm.Report.OptionalMissing);
        Assert.Null(miniLm.Model.MaskedLmHead);
        Assert.Equal(22_713_216, miniLm.Model.parameters().Sum(p => p.numel()));
    }
}
