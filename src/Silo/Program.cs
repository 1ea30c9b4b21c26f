using Sweeps.Silo;

if (args.Length > 0 && args[0] == HealthProbe.Verb) return await HealthProbe.RunAsync(args);

var app = SiloHost.Build(args);
await app.RunAsync();
return 0;
