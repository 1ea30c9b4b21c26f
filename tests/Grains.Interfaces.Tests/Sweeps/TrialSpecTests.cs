using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Sweeps.Grains.Interfaces.Sweeps;

namespace Sweeps.Grains.Interfaces.Tests.Sweeps;

public sealed class TrialSpecTests
{
    private static readonly TrialSpec Spec = new("sst2", "/data/SST-2", "minilm-l6-h384", "smp-s", 0.1, "linear",
        new DistillationSpec("00000000000000aa", null, 2, 0.5, 0.5), 42,
        new TrainingSpec(12, 64, 128, null, null, 2e-2, 1e-3, 3e-5, 400, null, 2.0 / 3.0), "gpu-h100");

    [Fact]
    public void CanonicalJson_FixedPropertyOrderAndInvariantNumbers()
    {
        var json = Spec.CanonicalJson();

        Assert.StartsWith("{\"Task\":\"sst2\",\"Data\":\"/data/SST-2\",\"Model\":\"minilm-l6-h384\",\"Method\":\"smp-s\",\"Keep\":0.1,", json);
        Assert.DoesNotContain("\"Id\"", json);
        Assert.Contains("\"PruneFraction\":0.6666666666666666", json);
    }

    [Fact]
    public void Id_PinnedForAKnownConfiguration()
    {
        // Stored sweeps and artefact folders are keyed by this id: a change here orphans every finished result.
        Assert.Equal(PinnedId, Spec.Id);
    }

    [Fact]
    public void OrleansSerializer_RoundTripsATeacherFolderWithItsLabelOrder()
    {
        var serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();
        var spec = Spec with { Distillation = new DistillationSpec(null, "/inputs/teachers/mnli", 2, 0.5, 0.5, ["LABEL_1", "2", "0"]) };

        var copy = serializer.Deserialize<TrialSpec>(serializer.SerializeToArray(spec))!;

        Assert.Equal(["LABEL_1", "2", "0"], copy.Distillation!.TeacherLabels!);
        Assert.Equal(spec.Id, copy.Id);
        Assert.NotEqual(Spec.Id, spec.Id);
    }

    private const string PinnedId = "064f010aaa7c7a48";
}
