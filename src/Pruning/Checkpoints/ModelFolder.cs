using Sweeps.Pruning.Models;

namespace Sweeps.Pruning.Checkpoints;

/// <summary>A model folder in Hugging Face layout: config.json, model.safetensors and vocab.txt.</summary>
public sealed record ModelFolder(string Path)
{
    public const string ConfigFileName = "config.json";
    public const string WeightsFileName = "model.safetensors";
    public const string VocabFileName = "vocab.txt";
    public const string TokenizerConfigFileName = "tokenizer_config.json";

    public string ConfigPath => System.IO.Path.Combine(Path, ConfigFileName);
    public string WeightsPath => System.IO.Path.Combine(Path, WeightsFileName);
    public string VocabPath => System.IO.Path.Combine(Path, VocabFileName);
    public string TokenizerConfigPath => System.IO.Path.Combine(Path, TokenizerConfigFileName);

    /// <summary>Checks that the folder holds the three files the engine needs, naming whatever is missing.</summary>
    public static ModelFolder Open(string path)
    {
        if (!Directory.Exists(path)) throw new ModelFormatException(path, "model folder not found");
        var folder = new ModelFolder(System.IO.Path.GetFullPath(path));
        var missing = new[] { ConfigFileName, WeightsFileName, VocabFileName }
            .Where(f => !File.Exists(System.IO.Path.Combine(folder.Path, f))).ToList();
        if (missing.Count > 0)
            throw new ModelFormatException(path,
                $"not a Hugging Face model folder: missing {string.Join(", ", missing)} (expected config.json, model.safetensors, vocab.txt)");
        return folder;
    }
}
