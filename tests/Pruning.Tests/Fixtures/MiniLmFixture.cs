using Sweeps.Pruning.Checkpoints;
using Sweeps.Pruning.Models;
using Sweeps.Pruning.Text;

namespace Sweeps.Pruning.Tests.Fixtures;

/// <summary>The real MiniLM, imported into the shared cache once per test run.</summary>
public sealed class MiniLmFixture : IDisposable
{
    public MiniLmFixture()
    {
        Folder = BuiltInModels.Resolve(BuiltInModels.MiniLm, SweepsCache.Default());
        (Model, Report) = BertCheckpointLoader.Load(Folder);
        Encoder = BertTextEncoder.Load(Folder);
    }

    public ModelFolder Folder { get; }
    public PretrainedBert Model { get; }
    public BertLoadReport Report { get; }
    public BertTextEncoder Encoder { get; }

    public void Dispose() => Model.Dispose();
}

[CollectionDefinition(Name)]
public sealed class MiniLmCollection : ICollectionFixture<MiniLmFixture>
{
    public const string Name = "MiniLM";
}
