// Each scenario builds its own hosts, silos and Redis; they share the machine's two cores and the timing of a
// partition, so one scenario runs at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
