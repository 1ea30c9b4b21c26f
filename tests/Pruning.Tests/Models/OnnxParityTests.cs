using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Sweeps.Pruning.Checkpoints;
using Sweeps.Pruning.Tests.Fixtures;
using Sweeps.Pruning.Text;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Sweeps.Pruning.Tests.Models;

[Collection(MiniLmCollection.Name)]
public sealed class OnnxParityTests(MiniLmFixture miniLm, ITestOutputHelper output)
{
    [Fact]
    public void LastHiddenState_RealSentencesBatchedAndPadded_MatchesOnnxRuntimeWithin1e4()
    {
        var sentences = ParitySentences.Load();
        Assert.True(sentences.Count >= 64);
        var encoded = sentences.Select(s => miniLm.Encoder.Encode(s, null, 128)).ToList();
        Assert.True(encoded.Select(e => e.Length).Distinct().Count() > 10, "sentences should vary in length");

        using var session = CreateOracle();
        var worst = 0.0;
        foreach (var chunk in encoded.Chunk(16))
        {
            using var batch = TokenBatch.Collate(chunk, miniLm.Encoder.PadTokenId);
            using var noGrad = no_grad();
            using var ours = miniLm.Model.call(batch.InputIds, batch.TokenTypeIds, batch.AttentionMask);
            var reference = RunOracle(session, batch);
            var oursFlat = ours.data<float>().ToArray();
            Assert.Equal(reference.Length, oursFlat.Length);
            var mask = batch.AttentionMask.data<long>().ToArray();
            var hidden = (int)ours.shape[2];
            for (var i = 0; i < oursFlat.Length; i++)
                if (mask[i / hidden] == 1) worst = Math.Max(worst, Math.Abs(oursFlat[i] - reference[i]));
        }
        output.WriteLine($"max |ours - onnxruntime| over {encoded.Sum(e => e.Length)} real tokens of {encoded.Count} texts: {worst:E2}");
        Assert.True(worst <= 1e-4, $"max |ours - onnxruntime| = {worst:E2} over real tokens, expected <= 1e-4");
    }

    private static InferenceSession CreateOracle()
    {
        using var package = MiniLmPackage.Open();
        using var onnx = package.OpenOnnx();
        using var bytes = new MemoryStream();
        onnx.CopyTo(bytes);
        return new InferenceSession(bytes.ToArray());
    }

    private static float[] RunOracle(InferenceSession session, TokenBatch batch)
    {
        int[] shape = [(int)batch.InputIds.shape[0], (int)batch.InputIds.shape[1]];
        var inputs = new[]
        {
            NamedOnnxValue.CreateFromTensor("input_ids", new DenseTensor<long>(batch.InputIds.data<long>().ToArray(), shape)),
            NamedOnnxValue.CreateFromTensor("attention_mask", new DenseTensor<long>(batch.AttentionMask.data<long>().ToArray(), shape)),
            NamedOnnxValue.CreateFromTensor("token_type_ids", new DenseTensor<long>(batch.TokenTypeIds.data<long>().ToArray(), shape)),
        };
        using var results = session.Run(inputs, ["last_hidden_state"]);
        return results.First().AsEnumerable<float>().ToArray();
    }
}
