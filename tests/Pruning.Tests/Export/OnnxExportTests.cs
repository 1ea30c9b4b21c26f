using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Sweeps.Artifacts;
using Sweeps.Pruning.Export;
using Sweeps.Pruning.Tasks;
using Sweeps.Pruning.Text;
using Sweeps.Pruning.Trials;
using Sweeps.Testing;
using static TorchSharp.torch;

namespace Sweeps.Pruning.Tests.Export;

/// <summary>The ONNX export run by ONNX Runtime, an engine that shares no code with ours, against the trial's own logits.</summary>
[Collection(FinishedTrialsCollection.Name)]
public sealed class OnnxExportTests(FinishedTrials trials) : IDisposable
{
    private readonly TemporaryFolder output = new();

    public void Dispose() => output.Dispose();

    private string Destination => Path.Combine(output.Path, "onnx");

    private InferenceSession ExportAndOpen(string trialId)
    {
        TrialExporter.Export(new ExportRequest(trials.Store, trialId, Destination, ExportFormat.Onnx), trials.Cache);
        return new InferenceSession(Path.Combine(Destination, TrialExporter.OnnxFileName));
    }

    // Two batches of different sizes and lengths (dynamic dimensions), the second with a [MASK] inside one input.
    private static IEnumerable<TokenBatch> Batches(BertTextEncoder encoder, TextTask task)
    {
        var dev = task.Dev.First().Value;
        yield return new TextBatcher(encoder, 16, 24).Batches(dev).First().Batch;
        var (shorter, _) = new TextBatcher(encoder, 8, 3).Batches(dev.Skip(5).ToList()).First();
        var ids = shorter.InputIds.data<long>().ToArray();
        ids[2] = encoder.MaskTokenId;
        yield return shorter with { InputIds = tensor(ids, shorter.InputIds.shape) };
    }

    private double WorstDifference(string trialId, InferenceSession session)
    {
        using var trained = TrialArtifact.Load(trials.Store.FolderOf(trialId), trials.Cache);
        var worst = 0.0;
        foreach (var batch in Batches(trained.Encoder, trials.Task))
            using (batch)
            using (no_grad())
            {
                using var hidden = trained.Model.call(batch.InputIds, batch.TokenTypeIds, batch.AttentionMask);
                using var logits = trained.Head.call(hidden, batch.InputIds);
                var expected = logits.data<float>().ToArray();
                var actual = Run(session, batch, "logits");
                Assert.Equal(expected.Length, actual.Length);
                worst = Math.Max(worst, expected.Zip(actual, (e, a) => (double)Math.Abs(e - a)).Max());
            }
        return worst;
    }

    private static float[] Run(InferenceSession session, TokenBatch batch, string outputName)
    {
        int[] shape = [(int)batch.InputIds.shape[0], (int)batch.InputIds.shape[1]];
        var inputs = new[]
        {
            NamedOnnxValue.CreateFromTensor("input_ids", new DenseTensor<long>(batch.InputIds.data<long>().ToArray(), shape)),
            NamedOnnxValue.CreateFromTensor("attention_mask", new DenseTensor<long>(batch.AttentionMask.data<long>().ToArray(), shape)),
            NamedOnnxValue.CreateFromTensor("token_type_ids", new DenseTensor<long>(batch.TokenTypeIds.data<long>().ToArray(), shape)),
        };
        using var results = session.Run(inputs, [outputName]);
        return results.First().AsEnumerable<float>().ToArray();
    }

    [Fact]
    public void PooledHead_OnnxRuntimeGivesTheTrialsLogits()
    {
        using var session = ExportAndOpen(FinishedTrials.Pooled);

        var worst = WorstDifference(FinishedTrials.Pooled, session);
        Assert.True(worst <= 1e-4, $"largest difference {worst:G3}");
    }

    [Fact]
    public void LinearHead_OnnxRuntimeGivesTheTrialsLogits()
    {
        using var session = ExportAndOpen(FinishedTrials.Linear);

        Assert.Equal(["input_ids", "attention_mask", "token_type_ids"], session.InputMetadata.Keys);
        Assert.Equal([-1, -1], session.InputMetadata["input_ids"].Dimensions); // batch and sequence are dynamic
        Assert.Equal(["logits"], session.OutputMetadata.Keys);
        var worst = WorstDifference(FinishedTrials.Linear, session);
        Assert.True(worst <= 1e-4, $"largest difference {worst:G3}");
    }

    [Fact]
    public void LabelWordHead_OnnxRuntimeGivesTheTrialsLogits_AtTheFirstMaskOrCls()
    {
        using var session = ExportAndOpen(FinishedTrials.LabelWords);

        var worst = WorstDifference(FinishedTrials.LabelWords, session);
        Assert.True(worst <= 1e-4, $"largest difference {worst:G3}");
        Assert.True(File.Exists(Path.Combine(Destination, LabelWords.FileName)));
    }

    [Fact]
    public void PrunedWeights_AreZeroInTheGraphsInitialisers()
    {
        TrialExporter.Export(new ExportRequest(trials.Store, FinishedTrials.Linear, Destination, ExportFormat.Onnx), trials.Cache);
        var model = Onnx.ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(Destination, TrialExporter.OnnxFileName)));
        Assert.Equal(OnnxBertGraph.Opset, model.OpsetImport.Single().Version);
        var keep = TrialArtifact.ReadKeepFractions(trials.Store.FolderOf(FinishedTrials.Linear))!.Value.PerMatrix;
        foreach (var (matrix, fraction) in keep)
        {
            var initialiser = model.Graph.Initializer.Single(t => t.Name == matrix + ".weight");
            var values = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(initialiser.RawData.Span).ToArray();
            Assert.Equal(fraction, values.Count(v => v != 0) / (double)values.Length, 12);
        }
    }

    [Theory]
    [InlineData(FinishedTrials.Span)]
    [InlineData(FinishedTrials.LabelWordSpan)]
    public void SpanHeads_OnnxRuntimeGivesTheTrialsStartAndEndLogits(string trialId)
    {
        using var session = ExportAndOpen(trialId);
        Assert.Equal(["start_logits", "end_logits"], session.OutputMetadata.Keys);

        using var trained = TrialArtifact.Load(trials.Store.FolderOf(trialId), trials.Cache);
        foreach (var batch in Batches(trained.Encoder, trials.Task))
            using (batch)
            using (no_grad())
            {
                using var hidden = trained.Model.call(batch.InputIds, batch.TokenTypeIds, batch.AttentionMask);
                using var logits = trained.Head.call(hidden, batch.InputIds);
                using var start = logits.select(-1, 0).contiguous();
                using var end = logits.select(-1, 1).contiguous();
                foreach (var (expected, name) in new[] { (start, "start_logits"), (end, "end_logits") })
                {
                    var actual = Run(session, batch, name);
                    var worst = expected.data<float>().ToArray().Zip(actual, (e, a) => (double)Math.Abs(e - a)).Max();
                    Assert.True(worst <= 1e-4, $"{name}: largest difference {worst:G3}");
                }
            }
    }
}
