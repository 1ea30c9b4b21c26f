// Trials seed and draw from libtorch's process-wide generator (dropout, initialisation); tests that ran in parallel
// would interleave their draws and lose the determinism several of them assert.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
