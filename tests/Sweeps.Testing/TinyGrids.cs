namespace Sweeps.Testing;

/// <summary>The grids the cluster tests submit: SMP-S at 50% on a tiny BERT, a trial per seed, on the CPU pool.</summary>
public static class TinyGrids
{
    /// <summary>A grid file's text: <paramref name="epochs"/> epochs of batches of 8 × 16 tokens on the sst2 folder <paramref name="data"/>.</summary>
    public static string SmpS(string name, string model, string data, IEnumerable<int> seeds, int epochs) => $"""
        name: {name}
        model: {model}
        tasks:
          - name: sst2
            data: {data}
        methods: [smp-s]
        keep: [0.5]
        seeds: [{string.Join(", ", seeds)}]
        training:
          epochs: {epochs}
          batch_size: 8
          max_length: 16
        resources:
          pool: cpu
        """;
}
