// The silo tests start silos (one as a child process) on fixed-for-the-test ports and a shared Redis; one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
