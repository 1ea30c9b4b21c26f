// Each test hosts whole silos; metrics are process-wide (an OpenTelemetry meter provider listens to every meter of a
// name in the process), so silos of parallel tests would export each other's series. A deployment runs one silo per
// process; the tests run one test at a time to match.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
