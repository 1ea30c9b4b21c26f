using Sweeps.Worker;

// Started by a silo for one trial attempt: `dotnet Sweeps.Worker.dll --parent <pid>:<start time> --trial <id>` (the silo
// that owns it, so that a silo that starts can find the workers a crashed predecessor left; the trial, for `ps`). What it
// trains arrives on standard input; the protocol is in docs/architecture.md, "Trial workers".
return await TrialWorker.RunAsync(Console.OpenStandardInput(), Console.OpenStandardOutput());
