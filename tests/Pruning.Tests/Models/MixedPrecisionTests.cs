using System.Text.Json;
using Sweeps.Pruning.Checkpoints;
using Sweeps.Pruning.Models;
using Sweeps.Pruning.Smp;
using Sweeps.Pruning.Tasks;
using Sweeps.Pruning.Training;
using Sweeps.Pruning.Trials;
using Sweeps.Testing;
using static TorchSharp.torch;

namespace Sweeps.Pruning.Tests.Models;

public sealed class MixedPrecisionTests : IDisposable
{
    private readonly TinyBert tiny = new(withMaskedLmHead: true);
    private readonly TemporaryFolder output = new();
    private readonly TextTask task = TinyTasks.Spam();

    public void Dispose()
    {
        tiny.Dispose();
        output.Dispose();
    }

    [Fact]
    public void Apply_Bf16Frozen_StoresMatricesAndTablesInBf16_KeepsScoresLayerNormAndHeadFp32()
    {
        var (model, _) = BertCheckpointLoader.Load(tiny.Folder);
        using var _ = model;
        MixedPrecision.Apply(model, Precision.Bf16, weightsTrained: false);
        var pruner = new Pruner(model, PruningMethod.SmpScoreAllocated);

        Assert.All(pruner.Matrices, m => Assert.Equal(ScalarType.BFloat16, m.Module.Weight.dtype));
        Assert.All(pruner.Matrices, m => Assert.Equal(ScalarType.BFloat16, m.Module.Bias.dtype));
        Assert.All(pruner.Scores, s => Assert.Equal(ScalarType.Float32, s.dtype));
        var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.dtype);
        Assert.Equal(ScalarType.BFloat16, parameters["bert.embeddings.word_embeddings.weight"]);
        Assert.Equal(ScalarType.BFloat16, parameters["bert.embeddings.position_embeddings.weight"]);
        Assert.All(parameters.Where(p => p.Key.Contains("LayerNorm")), p => Assert.Equal(ScalarType.Float32, p.Value));
        Assert.Equal(ScalarType.Float32, parameters["cls.predictions.bias"]);
        Assert.Equal(ScalarType.Float32, parameters["bert.pooler.dense.weight"]);
    }

    [Fact]
    public void Apply_Bf16Trained_KeepsFp32MasterWeights()
    {
        var (model, _) = BertCheckpointLoader.Load(tiny.Folder);
        using var _ = model;
        MixedPrecision.Apply(model, Precision.Bf16, weightsTrained: true);

        Assert.All(model.parameters(), p => Assert.Equal(ScalarType.Float32, p.dtype));
    }

    [Fact]
    public void Forward_Bf16_MatchesFp32WithinBf16Rounding_AndScoresGetFp32Gradients()
    {
        var (reference, _) = BertCheckpointLoader.Load(tiny.Folder);
        var (mixed, _) = BertCheckpointLoader.Load(tiny.Folder);
        using var _r = reference;
        using var _m = mixed;
        MixedPrecision.Apply(mixed, Precision.Bf16, weightsTrained: false);
        var referencePruner = new Pruner(reference, PruningMethod.SmpLocal, seed: 3);
        var mixedPruner = new Pruner(mixed, PruningMethod.SmpLocal, seed: 3);
        referencePruner.UpdateMasks(0.5);
        mixedPruner.UpdateMasks(0.5);
        foreach (var scores in mixedPruner.Scores) scores.requires_grad = true;
        foreach (var parameter in mixed.parameters().Where(p => p.dtype == ScalarType.BFloat16)) parameter.requires_grad = false;
        reference.eval();
        mixed.eval();
        manual_seed(5);
        using var ids = randint(5, TinyBert.Vocabulary.Length, [4, 12]);
        using var types = zeros_like(ids);
        using var attention = ones_like(ids);

        using var expected = reference.call(ids, types, attention);
        using var actual = mixed.call(ids, types, attention);

        // The residual stream leaves each LayerNorm in float32 at unit scale; bfloat16 keeps 8 significant bits, so the
        // two agree to a few hundredths (a wrong cast, a missing mask or an unmasked weight differs by order one).
        Assert.Equal(ScalarType.Float32, actual.dtype);
        using var difference = (actual - expected).abs();
        Assert.True(difference.mean().item<float>() < 0.03f, $"mean difference {difference.mean().item<float>()}");
        Assert.True(difference.max().item<float>() < 0.3f, $"largest difference {difference.max().item<float>()}");

        using var loss = actual.square().sum();
        loss.backward();
        Assert.All(mixedPruner.Scores, s =>
        {
            Assert.Equal(ScalarType.Float32, s.grad!.dtype);
            Assert.True(s.grad!.abs().sum().item<float>() > 0, "no gradient reached the scores");
        });
    }

    [Fact]
    public void Run_SmpSBf16_TrainsToItsKeep_AndItsArtefactIsReadBackInBf16()
    {
        var config = new TrialConfig
        {
            Task = task.Name, Model = tiny.Directory, Method = PruningMethod.SmpScoreAllocated, Keep = 0.5, Epochs = 2, BatchSize = 16,
            MaxLength = 16, Classifier = ClassifierMode.MaskedLmHead, Precision = Precision.Bf16, Seed = 7,
        };

        var result = new TrialTrainer(config, task, tiny.Folder, output.Path, new SweepsCache(output.Path)).Run();

        Assert.True(Math.Abs(result.AchievedKeepFraction - 0.5) < 0.01, $"kept {result.AchievedKeepFraction}");
        Assert.All(result.LossCurve, point => Assert.True(double.IsFinite(point.Loss)));
        using (var file = SafetensorsFile.Open(Path.Combine(output.Path, TrialArtifact.FileName)))
            Assert.Equal("bf16", file.Metadata["precision"]);
        using var trained = TrialArtifact.Load(output.Path, new SweepsCache(output.Path));
        Assert.All(PrunableMatrix.Of(trained.Model), m => Assert.Equal(ScalarType.BFloat16, m.Module.Weight.dtype));
    }

    [Fact]
    public void Run_DenseBf16_FineTunesFp32Weights()
    {
        var config = new TrialConfig
        {
            Task = task.Name, Model = tiny.Directory, Method = PruningMethod.Dense, Epochs = 1, BatchSize = 16, MaxLength = 16,
            Precision = Precision.Bf16, Seed = 7,
        };

        new TrialTrainer(config, task, tiny.Folder, output.Path, new SweepsCache(output.Path)).Run();

        var (saved, _) = BertCheckpointLoader.Load(ModelFolder.Open(Path.Combine(output.Path, TrialArtifact.ModelFolderName)));
        using var _s = saved;
        var (original, _) = BertCheckpointLoader.Load(tiny.Folder);
        using var _o = original;
        var before = original.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        // Updates of lr 3e-5 are far below bfloat16's resolution: only float32 master weights can take them.
        var changed = saved.named_parameters().Count(p => !p.parameter.equal(before[p.name]).all().item<bool>());
        Assert.True(changed > 0, "no weight moved");
    }

    [Fact]
    public void ConfigJson_Fp32LeavesPrecisionOut_SoEarlierCheckpointsStillResume()
    {
        var fp32 = new TrialConfig { Task = "sst2" };

        Assert.DoesNotContain("Precision", JsonSerializer.Serialize(fp32));
        Assert.Contains("\"Precision\"", JsonSerializer.Serialize(fp32 with { Precision = Precision.Bf16 }));
        Assert.NotEqual(TrialTrainer.Fingerprint(fp32), TrialTrainer.Fingerprint(fp32 with { Precision = Precision.Bf16 }));
    }
}
