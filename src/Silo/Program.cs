using Sweeps.Silo;

if (args.Length > 0 && args[0] == HealthProbe.Verb) return await HealthProbe.RunAsync(args);

WebApplication app;
try
{
    app = SiloHost.Build(args);
    await app.StartAsync();
}
catch (Exception e) when (SiloStartFailure.Describe(e) is { } problem)
{
    return SiloStartFailure.Report(problem, e, args);
}
await app.WaitForShutdownAsync();
await app.DisposeAsync();
return 0;
