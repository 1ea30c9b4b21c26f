using TorchSharp;
using static TorchSharp.torch;

namespace Sweeps.Pruning.Models;

/// <summary>The activations that config.json's hidden_act can name.</summary>
public static class Activation
{
    public static Tensor Apply(string name, Tensor x) => name switch
    {
        "gelu" => nn.functional.gelu(x),
        "gelu_new" => nn.functional.gelu(x, TorchSharp.Modules.GELU.Approximate.tanh),
        "relu" => nn.functional.relu(x),
        _ => throw new ArgumentException($"unsupported activation '{name}'", nameof(name)),
    };
}
