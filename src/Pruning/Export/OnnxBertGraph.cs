using System.Text.Json;
using Onnx;
using Sweeps.Pruning.Models;
using Sweeps.Pruning.Squad;
using Sweeps.Pruning.Training;
using static TorchSharp.torch;
using static Sweeps.Pruning.Export.OnnxGraph;

namespace Sweeps.Pruning.Export;

/// <summary>
/// An exported trial as one ONNX graph: input_ids, attention_mask and token_type_ids ([batch, sequence], int64, both
/// dimensions dynamic) to <c>logits</c> [batch, outputs], or <c>start_logits</c> and <c>end_logits</c> [batch, sequence]
/// for a span task. It computes what our engine computes — the encoder with the masks multiplied into its weights, then
/// the trial's own head (the [CLS] state for a linear head; the masked-LM head at the label words) — in standard
/// operators of opset <see cref="Opset"/>. Linear weights are stored [in, out], as MatMul reads them.
/// </summary>
public static class OnnxBertGraph
{
    public const long Opset = 17; // LayerNormalization's first opset

    public static ModelProto Build(ExportedTrial trial)
    {
        var config = trial.Trained.Model.Config;
        var tensors = ExportedWeights.Of(trial, poolerClass: false);
        try
        {
            var weights = tensors.ToDictionary(t => t.Name, t => t.Value);
            var graph = new OnnxGraph($"{trial.Architecture.ClassName()} {trial.TrialId}",
                $"Pruned BERT from trial {trial.TrialId} ({trial.Result.Method}, keep {trial.Result.AchievedKeepFraction:P2}); masks applied, pruned weights are 0.");
            graph.Input("input_ids", int64: true, "batch", "sequence");
            graph.Input("attention_mask", int64: true, "batch", "sequence");
            graph.Input("token_type_ids", int64: true, "batch", "sequence");
            var builder = new Builder(graph, weights, config);
            var hidden = builder.Encoder();
            switch (trial.Trained.Head)
            {
                case LinearClassifierHead linear:
                    var cls = graph.Node("Gather", "classifier", [hidden, graph.Int64s("cls_position", [0], scalar: true)], Int("axis", 1));
                    // A pooled head reads tanh(W h + b) of the [CLS] state, as BertForSequenceClassification.
                    if (linear.HasPooler) cls = graph.Node("Tanh", "bert.pooler", [builder.Linear("bert.pooler.dense", cls)]);
                    Output(graph, builder.Linear("classifier", cls), "logits", "batch", Outputs(weights["classifier.bias"]));
                    break;
                case LinearSpanHead:
                    builder.Spans(builder.Linear("qa_outputs", hidden));
                    break;
                case LabelWordHead words:
                    var selected = builder.FirstMask(hidden, trial.Trained.Encoder.MaskTokenId);
                    Output(graph, builder.LabelWords(selected, words.LabelWordIds), "logits", "batch", words.LabelWordIds.Length);
                    break;
                case LabelWordSpanHead spanWords:
                    builder.Spans(builder.LabelWords(hidden, spanWords.LabelWordIds));
                    break;
                default:
                    throw new ArgumentException($"trial {trial.TrialId} has a head ONNX export does not know: {trial.Trained.Head.GetType().Name}");
            }
            return graph.Model(Opset, "sweeps");
        }
        finally
        {
            foreach (var (_, value) in tensors) value.Dispose();
        }
    }

    private static long Outputs(Tensor bias) => bias.shape[0];

    private static void Output(OnnxGraph graph, string produced, string name, params object[] dims)
    {
        graph.Name(produced, name);
        graph.Output(name, dims);
    }

    /// <summary>The encoder's operators, one method per block of Hugging Face's modeling_bert.py.</summary>
    private sealed class Builder(OnnxGraph graph, IReadOnlyDictionary<string, Tensor> weights, BertConfig config)
    {
        private readonly long headSize = config.HiddenSize / config.NumAttentionHeads;

        public string Encoder()
        {
            var hidden = Embeddings();
            // Additive attention bias [batch, 1, 1, sequence]: 0 for tokens, float.MinValue for padding, as our engine adds.
            var mask = graph.Node("Cast", "attention_bias", ["attention_mask"], Int("to", (long)TensorProto.Types.DataType.Float));
            var padding = graph.Node("Sub", "attention_bias", [graph.Float("one", 1f), mask]);
            var bias = graph.Node("Mul", "attention_bias", [padding, graph.Float("padding_bias", float.MinValue)]);
            bias = graph.Node("Unsqueeze", "attention_bias", [bias, graph.Int64s("bias_axes", [1, 2])]);
            for (var layer = 0; layer < config.NumHiddenLayers; layer++) hidden = Layer($"bert.encoder.layer.{layer}", hidden, bias);
            return hidden;
        }

        private string Embeddings()
        {
            const string prefix = "bert.embeddings";
            var words = graph.Node("Gather", prefix, [Weight($"{prefix}.word_embeddings.weight"), "input_ids"]);
            var length = graph.Node("Gather", prefix, [graph.Node("Shape", prefix, ["input_ids"]), graph.Int64s("sequence_axis", [1], scalar: true)]);
            var positions = graph.Node("Range", prefix, [graph.Int64s("zero", [0], scalar: true), length, graph.Int64s("step", [1], scalar: true)]);
            var placed = graph.Node("Gather", prefix, [Weight($"{prefix}.position_embeddings.weight"), positions]);
            var types = graph.Node("Gather", prefix, [Weight($"{prefix}.token_type_embeddings.weight"), "token_type_ids"]);
            var sum = graph.Node("Add", prefix, [graph.Node("Add", prefix, [words, placed]), types]);
            return LayerNorm($"{prefix}.LayerNorm", sum);
        }

        private string Layer(string prefix, string input, string bias)
        {
            var (batchHeads, keysT) = (Heads($"{prefix}.attention.self.query", input, [0, 2, 1, 3]), Heads($"{prefix}.attention.self.key", input, [0, 2, 3, 1]));
            var values = Heads($"{prefix}.attention.self.value", input, [0, 2, 1, 3]);
            var scores = graph.Node("MatMul", prefix, [batchHeads, keysT]);
            scores = graph.Node("Mul", prefix, [scores, graph.Float($"{prefix}.attention.scale", (float)(1 / Math.Sqrt(headSize)))]);
            var probabilities = graph.Node("Softmax", prefix, [graph.Node("Add", prefix, [scores, bias])], Int("axis", -1));
            var context = graph.Node("Transpose", prefix, [graph.Node("MatMul", prefix, [probabilities, values])], Ints("perm", 0, 2, 1, 3));
            context = graph.Node("Reshape", prefix, [context, graph.Int64s($"{prefix}.merge_heads", [0, 0, config.HiddenSize])]);
            var attended = Residual($"{prefix}.attention.output", context, input);
            var expanded = Activate($"{prefix}.intermediate", Linear($"{prefix}.intermediate.dense", attended));
            return Residual($"{prefix}.output", expanded, attended);
        }

        // [batch, sequence, hidden] → [batch, heads, sequence, head size] (or its key-side transpose).
        private string Heads(string name, string input, long[] permutation)
        {
            var projected = Linear(name, input);
            var split = graph.Node("Reshape", name, [projected, graph.Int64s($"{name}.split_heads", [0, 0, config.NumAttentionHeads, headSize])]);
            return graph.Node("Transpose", name, [split], Ints("perm", permutation));
        }

        private string Residual(string prefix, string input, string residual) =>
            LayerNorm($"{prefix}.LayerNorm", graph.Node("Add", prefix, [Linear($"{prefix}.dense", input), residual]));

        public string Linear(string name, string input) => Linear(name, input, weights[$"{name}.weight"], weights[$"{name}.bias"]);

        private string Linear(string name, string input, Tensor weight, Tensor bias)
        {
            using var transposed = weight.t().contiguous();
            var product = graph.Node("MatMul", name, [input, graph.Weight($"{name}.weight", transposed)]);
            return graph.Node("Add", name, [product, graph.Weight($"{name}.bias", bias)]);
        }

        private string LayerNorm(string name, string input) =>
            graph.Node("LayerNormalization", name, [input, Weight($"{name}.weight"), Weight($"{name}.bias")],
                Int("axis", -1), FloatAttribute("epsilon", (float)config.LayerNormEps));

        private string Activate(string name, string x)
        {
            switch (config.HiddenAct)
            {
                case "relu":
                    return graph.Node("Relu", name, [x]);
                case "gelu":
                    // x · ½ · (1 + erf(x / √2)), the exact GELU our engine and Hugging Face use.
                    var erf = graph.Node("Erf", name, [graph.Node("Div", name, [x, graph.Float($"{name}.sqrt2", MathF.Sqrt(2))])]);
                    var half = graph.Node("Mul", name, [x, graph.Node("Add", name, [erf, graph.Float($"{name}.one", 1f)])]);
                    return graph.Node("Mul", name, [half, graph.Float($"{name}.half", 0.5f)]);
                default: // gelu_new: ½x(1 + tanh(√(2/π)(x + 0.044715x³)))
                    var cube = graph.Node("Mul", name, [graph.Node("Mul", name, [x, x]), x]);
                    var inner = graph.Node("Add", name, [x, graph.Node("Mul", name, [cube, graph.Float($"{name}.c", 0.044715f)])]);
                    var tanh = graph.Node("Tanh", name, [graph.Node("Mul", name, [inner, graph.Float($"{name}.k", MathF.Sqrt(2 / MathF.PI))])]);
                    var scaled = graph.Node("Mul", name, [x, graph.Node("Add", name, [tanh, graph.Float($"{name}.one", 1f)])]);
                    return graph.Node("Mul", name, [scaled, graph.Float($"{name}.half", 0.5f)]);
            }
        }

        /// <summary>The hidden state of each input's first [MASK] token, or of [CLS] where it has none: [batch, hidden].</summary>
        public string FirstMask(string hidden, long maskTokenId)
        {
            const string name = "label_word_position";
            var isMask = graph.Node("Cast", name, [graph.Node("Equal", name, ["input_ids", graph.Int64s("mask_token_id", [maskTokenId], scalar: true)])],
                Int("to", (long)TensorProto.Types.DataType.Int32));
            // ArgMax returns the first maximum: the first [MASK], or position 0 where the row has none.
            var position = graph.Node("ArgMax", name, [isMask], Int("axis", 1), Int("keepdims", 1));
            var length = graph.Node("Gather", name, [graph.Node("Shape", name, ["input_ids"]), graph.Int64s("sequence_axis_1", [1], scalar: true)]);
            var positions = graph.Node("Range", name, [graph.Int64s("zero_1", [0], scalar: true), length, graph.Int64s("step_1", [1], scalar: true)]);
            // A one-hot row per input times the hidden states picks one token's state exactly (the other terms are 0·h).
            var oneHot = graph.Node("Cast", name, [graph.Node("Equal", name, [positions, position])], Int("to", (long)TensorProto.Types.DataType.Float));
            var picked = graph.Node("MatMul", name, [graph.Node("Unsqueeze", name, [oneHot, graph.Int64s("row_axis", [1])]), hidden]);
            return graph.Node("Squeeze", name, [picked, graph.Int64s("picked_axis", [1])]);
        }

        /// <summary>The masked-LM head, restricted to the label words' logits (the tied decoder's rows for them).</summary>
        public string LabelWords(string hidden, long[] ids)
        {
            const string prefix = "cls.predictions";
            var transformed = LayerNorm($"{prefix}.transform.LayerNorm", Activate($"{prefix}.transform", Linear($"{prefix}.transform.dense", hidden)));
            using var index = tensor(ids);
            using var rows = weights["bert.embeddings.word_embeddings.weight"].index_select(0, index);
            using var bias = weights[$"{prefix}.bias"].index_select(0, index);
            return Linear($"{prefix}.label_words", transformed, rows, bias);
        }

        /// <summary>[batch, sequence, 2] → start_logits and end_logits, [batch, sequence] each.</summary>
        public void Spans(string logits)
        {
            var halves = graph.Nodes("Split", "spans", [logits, graph.Int64s("split_sizes", [1, 1])], 2, Int("axis", -1));
            string[] names = ["start_logits", "end_logits"];
            for (var i = 0; i < 2; i++)
                Output(graph, graph.Node("Squeeze", "spans", [halves[i], graph.Int64s($"{names[i]}_axis", [-1])]), names[i], "batch", "sequence");
        }

        private string Weight(string name) => graph.Weight(name, weights[name]);
    }
}
