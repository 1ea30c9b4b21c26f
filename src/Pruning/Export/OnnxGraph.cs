using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;
using static TorchSharp.torch;

namespace Sweeps.Pruning.Export;

/// <summary>
/// Builds one ONNX graph node by node: each node's output gets a fresh name, weights become initialisers, small
/// constants become int64 or float initialisers. Only what a BERT needs; names stay legible for whoever opens the file.
/// </summary>
public sealed class OnnxGraph
{
    private const int FloatType = (int)TensorProto.Types.DataType.Float;
    private const int Int64Type = (int)TensorProto.Types.DataType.Int64;
    private readonly GraphProto graph;
    private int next;

    public OnnxGraph(string name, string description) => graph = new GraphProto { Name = name, DocString = description };

    /// <summary>Adds a node and returns its output, named after <paramref name="name"/>.</summary>
    public string Node(string op, string name, IEnumerable<string> inputs, params AttributeProto[] attributes) =>
        Nodes(op, name, inputs, 1, attributes)[0];

    public string[] Nodes(string op, string name, IEnumerable<string> inputs, int outputs, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = $"{name}/{op}_{next++}" };
        node.Input.AddRange(inputs);
        var names = Enumerable.Range(0, outputs).Select(i => outputs == 1 ? $"{node.Name}:out" : $"{node.Name}:out{i}").ToArray();
        node.Output.AddRange(names);
        node.Attribute.AddRange(attributes);
        graph.Node.Add(node);
        return names;
    }

    /// <summary>A float32 weight as an initialiser under <paramref name="name"/>.</summary>
    public string Weight(string name, Tensor value)
    {
        using var cpu = value.detach().to(ScalarType.Float32).cpu().contiguous();
        var proto = new TensorProto { Name = name, DataType = FloatType, RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(cpu.data<float>().ToArray().AsSpan())) };
        proto.Dims.AddRange(cpu.shape);
        graph.Initializer.Add(proto);
        return name;
    }

    public string Int64s(string name, long[] values, bool scalar = false)
    {
        var proto = new TensorProto { Name = name, DataType = Int64Type, RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan())) };
        if (!scalar) proto.Dims.Add(values.Length);
        graph.Initializer.Add(proto);
        return name;
    }

    public string Float(string name, float value)
    {
        graph.Initializer.Add(new TensorProto { Name = name, DataType = FloatType, RawData = ByteString.CopyFrom(BitConverter.GetBytes(value)) });
        return name;
    }

    /// <summary>A graph input or output: int64 or float32, each dimension a fixed size or a named (dynamic) one.</summary>
    public void Input(string name, bool int64, params object[] dims) => graph.Input.Add(Value(name, int64 ? Int64Type : FloatType, dims));

    public void Output(string name, params object[] dims) => graph.Output.Add(Value(name, FloatType, dims));

    /// <summary>Renames the node output <paramref name="produced"/> to <paramref name="name"/> (a graph output's public name).</summary>
    public void Name(string produced, string name)
    {
        foreach (var node in graph.Node)
            for (var i = 0; i < node.Output.Count; i++)
                if (node.Output[i] == produced) node.Output[i] = name;
    }

    public static AttributeProto Int(string name, long value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto FloatAttribute(string name, float value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    public static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    /// <summary>The model: this graph under the default domain's <paramref name="opset"/>.</summary>
    public ModelProto Model(long opset, string producer)
    {
        var model = new ModelProto { IrVersion = 8, ProducerName = producer, Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = opset });
        return model;
    }

    private static ValueInfoProto Value(string name, int type, object[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var dim in dims)
            shape.Dim.Add(dim is string param ? new TensorShapeProto.Types.Dimension { DimParam = param }
                : new TensorShapeProto.Types.Dimension { DimValue = Convert.ToInt64(dim) });
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = type, Shape = shape } } };
    }
}
