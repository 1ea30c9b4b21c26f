using System.Runtime.InteropServices;
using System.Text.Json;
using Onnx;
using Sweeps.Pruning.Models;
using static TorchSharp.torch;

namespace Sweeps.Pruning.Checkpoints;

/// <summary>
/// Turns a BERT exported to ONNX by PyTorch into a Hugging Face model folder. Named initializers keep their names.
/// The exporter leaves the encoder's matmul weights unnamed and stored [in, out]; each is identified by the Add that
/// consumes its MatMul's output together with a named bias (<c>...query.bias</c> names <c>...query.weight</c>), and
/// is transposed to Hugging Face's [out, in]. The shape hyper-parameters are read off the graph itself.
/// </summary>
public static class OnnxBertImporter
{
    private const int OnnxFloat = 1;

    /// <summary>Reads <paramref name="onnxModel"/> and writes config.json, model.safetensors, vocab.txt into <paramref name="destination"/>.</summary>
    public static void Import(Stream onnxModel, Stream vocab, string destination, bool lowerCase, string sourceName)
    {
        var model = ModelProto.Parser.ParseFrom(onnxModel);
        var graph = model.Graph;
        var initializers = graph.Initializer.ToDictionary(t => t.Name);
        var producers = graph.Node.SelectMany(n => n.Output.Select(o => (Output: o, Node: n)))
            .ToDictionary(p => p.Output, p => p.Node);
        var consumers = graph.Node.SelectMany(n => n.Input.Select(i => (Input: i, Node: n)))
            .ToLookup(p => p.Input, p => p.Node);

        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            foreach (var (name, proto) in initializers)
                if (IsHuggingFaceName(name) && proto.DataType == OnnxFloat)
                    tensors[name] = ToTensor(proto, sourceName);

            foreach (var matmul in graph.Node.Where(n => n.OpType == "MatMul"))
            {
                var weightInput = matmul.Input.FirstOrDefault(i => initializers.ContainsKey(i) && !IsHuggingFaceName(i));
                if (weightInput is null) continue;
                var biasName = consumers[matmul.Output[0]].Where(n => n.OpType == "Add")
                    .SelectMany(n => n.Input).FirstOrDefault(i => i.EndsWith(".bias", StringComparison.Ordinal) && initializers.ContainsKey(i))
                    ?? throw new ModelFormatException(sourceName, $"MatMul '{matmul.Name}' weight '{weightInput}' feeds no Add with a named bias");
                var weightName = biasName[..^".bias".Length] + ".weight";
                using var stored = ToTensor(initializers[weightInput], sourceName);
                tensors[weightName] = stored.t().contiguous();
            }

            var config = ReadConfig(graph, tensors, producers, initializers, sourceName);
            CheckEncoderComplete(config, tensors, sourceName);

            Directory.CreateDirectory(destination);
            config.Save(Path.Combine(destination, ModelFolder.ConfigFileName));
            SafetensorsFile.Write(Path.Combine(destination, ModelFolder.WeightsFileName), tensors,
                new Dictionary<string, string> { ["format"] = "pt", ["source"] = sourceName });
            using (var vocabFile = File.Create(Path.Combine(destination, ModelFolder.VocabFileName)))
                vocab.CopyTo(vocabFile);
            File.WriteAllText(Path.Combine(destination, ModelFolder.TokenizerConfigFileName),
                JsonSerializer.Serialize(new { do_lower_case = lowerCase }));
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
    }

    private static bool IsHuggingFaceName(string name) =>
        name.StartsWith("embeddings.", StringComparison.Ordinal) || name.StartsWith("encoder.", StringComparison.Ordinal)
        || name.StartsWith("pooler.", StringComparison.Ordinal);

    private static Tensor ToTensor(TensorProto proto, string sourceName)
    {
        if (proto.DataType != OnnxFloat)
            throw new ModelFormatException(sourceName, $"initializer '{proto.Name}' has ONNX data type {proto.DataType}, expected float");
        var values = proto.RawData.Length > 0
            ? MemoryMarshal.Cast<byte, float>(proto.RawData.Span).ToArray()
            : proto.FloatData.ToArray();
        return tensor(values, proto.Dims.ToArray());
    }

    private static BertConfig ReadConfig(GraphProto graph, Dictionary<string, Tensor> tensors,
        Dictionary<string, NodeProto> producers, Dictionary<string, TensorProto> initializers, string sourceName)
    {
        Tensor Need(string name) => tensors.TryGetValue(name, out var t) ? t
            : throw new ModelFormatException(sourceName, $"missing initializer '{name}'");

        var words = Need("embeddings.word_embeddings.weight");
        var hidden = (int)words.shape[1];
        var layers = tensors.Keys.Where(k => k.StartsWith("encoder.layer.", StringComparison.Ordinal))
            .Select(k => int.Parse(k.Split('.')[2])).Distinct().Count();

        // LayerNorm epsilon: the constant added to the variance before Sqrt.
        var epsilon = graph.Node.Where(n => n.OpType == "Sqrt").Select(n => producers.GetValueOrDefault(n.Input[0]))
            .Where(n => n?.OpType == "Add").SelectMany(n => n!.Input).Select(i => ScalarConstant(i, producers, initializers))
            .FirstOrDefault(v => v is not null) ?? 1e-12;

        // Heads: attention scores Q·Kᵀ (a MatMul of two computed tensors) are divided by sqrt(head size).
        var scale = graph.Node.Where(n => n.OpType == "Div")
            .Where(n => producers.TryGetValue(n.Input[0], out var p) && p.OpType == "MatMul" && p.Input.All(i => !initializers.ContainsKey(i)))
            .Select(n => ScalarConstant(n.Input[1], producers, initializers)).FirstOrDefault(v => v is not null)
            ?? throw new ModelFormatException(sourceName, "could not find the attention scale (Q·Kᵀ / sqrt(head size)) in the graph");
        var headSize = (int)Math.Round(scale * scale);

        return new BertConfig
        {
            VocabSize = (int)words.shape[0],
            HiddenSize = hidden,
            NumHiddenLayers = layers,
            NumAttentionHeads = hidden / headSize,
            IntermediateSize = (int)Need("encoder.layer.0.intermediate.dense.bias").shape[0],
            MaxPositionEmbeddings = (int)Need("embeddings.position_embeddings.weight").shape[0],
            TypeVocabSize = (int)Need("embeddings.token_type_embeddings.weight").shape[0],
            LayerNormEps = epsilon,
            HiddenAct = "gelu",
        };
    }

    private static double? ScalarConstant(string name, Dictionary<string, NodeProto> producers, Dictionary<string, TensorProto> initializers)
    {
        var proto = initializers.GetValueOrDefault(name)
            ?? (producers.TryGetValue(name, out var node) && node.OpType == "Constant" ? node.Attribute.FirstOrDefault(a => a.Name == "value")?.T : null);
        if (proto is null || proto.DataType != OnnxFloat || proto.Dims.Aggregate(1L, (a, b) => a * b) != 1) return null;
        return proto.RawData.Length == 4 ? BitConverter.ToSingle(proto.RawData.Span) : proto.FloatData.FirstOrDefault();
    }

    private static void CheckEncoderComplete(BertConfig config, Dictionary<string, Tensor> tensors, string sourceName)
    {
        string[] matrices = ["attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense", "intermediate.dense", "output.dense"];
        var missing = Enumerable.Range(0, config.NumHiddenLayers)
            .SelectMany(l => matrices.Select(m => $"encoder.layer.{l}.{m}.weight")).Where(n => !tensors.ContainsKey(n)).ToList();
        if (missing.Count > 0)
            throw new ModelFormatException(sourceName, $"could not identify encoder weight(s): {string.Join(", ", missing)}");
    }
}
