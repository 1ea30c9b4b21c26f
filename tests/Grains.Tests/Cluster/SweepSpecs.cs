using Sweeps.Grains.Interfaces.Sweeps;
using Sweeps.Testing.Cluster;

namespace Sweeps.Grains.Tests.Cluster;

/// <summary>Sweeps built in code for the cluster tests.</summary>
public static class SweepSpecs
{
    public static readonly TrainingSpec Training = new(1, 8, 16, null, null, 1e-2, 1e-2, 1e-3, 0, null, 0.5);

    public static TrialSpec Trial(string method, double keep, int seed, DistillationSpec? kd = null, string model = "tiny", string? data = null, TrainingSpec? training = null) =>
        new("sst2", data, model, method, keep, "linear", kd, seed, training ?? Training, "cpu");

    /// <summary><paramref name="teachers"/> dense teachers (one per seed), each with <paramref name="studentsPerTeacher"/> distilled students.</summary>
    public static SweepSpec WithTeachers(string name, int teachers, int studentsPerTeacher, int retryLimit = 2)
    {
        var trials = new List<TrialSpec>();
        for (var seed = 1; seed <= teachers; seed++)
        {
            var teacher = Trial("dense", 1, seed);
            trials.Add(teacher);
            for (var s = 0; s < studentsPerTeacher; s++)
                trials.Add(Trial("smp-s", 0.9 - s * 0.1, seed, new DistillationSpec(teacher.Id, null, 2, 0.5, 0.5)));
        }
        return new SweepSpec(name, "test", "", trials, new ResourceSpec("cpu", 1), 0, retryLimit);
    }
}
