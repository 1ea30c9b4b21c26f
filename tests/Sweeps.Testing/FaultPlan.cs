using Sweeps.Worker;

namespace Sweeps.Testing;

/// <summary>
/// Plans faults for trial workers started from this process (<see cref="WorkerFaults"/>, <c>trial=fault@step</c>;
/// several joined by ';') until disposed. Workers inherit the environment: a fault names its trial, and tests that set
/// plans must not run at the same time as each other (one test class).
/// </summary>
public sealed class FaultPlan : IDisposable
{
    private FaultPlan(string plan) => Environment.SetEnvironmentVariable(WorkerFaults.EnvironmentVariable, plan);

    public static FaultPlan Set(params string[] faults) => new(string.Join(';', faults));

    public void Dispose() => Environment.SetEnvironmentVariable(WorkerFaults.EnvironmentVariable, null);
}
