using Sweeps.Silo;

var app = SiloHost.Build(args);
await app.RunAsync();
