using System.Reflection;
using Sweeps.Grains.Interfaces;

namespace Sweeps.Architecture.Tests;

/// <summary>
/// Every grain interface and every method on it carries an <c>[Alias]</c>: the wire names stay the same when a type or
/// method is renamed or moved, so silos of two versions can run side by side during a rolling upgrade.
/// </summary>
public sealed class GrainContractTests
{
    private static readonly Type[] GrainInterfaces = typeof(ISweepGrain).Assembly.GetTypes()
        .Where(t => t.IsInterface && typeof(IGrain).IsAssignableFrom(t)).ToArray();

    [Fact]
    public void TheInterfacesAssembly_HoldsTheGrainInterfaces() => Assert.True(GrainInterfaces.Length >= 4);

    [Fact]
    public void EveryGrainInterfaceAndMethod_HasAnAlias()
    {
        var missing = GrainInterfaces.Where(t => t.GetCustomAttribute<AliasAttribute>() is null).Select(t => t.Name)
            .Concat(GrainInterfaces.SelectMany(t => t.GetMethods().Where(m => m.GetCustomAttribute<AliasAttribute>() is null).Select(m => $"{t.Name}.{m.Name}")))
            .ToList();

        Assert.True(missing.Count == 0, "no [Alias] on: " + string.Join(", ", missing));
    }

    [Fact]
    public void GrainInterfaceAliases_AreUnique() =>
        Assert.Equal(GrainInterfaces.Length, GrainInterfaces.Select(t => t.GetCustomAttribute<AliasAttribute>()?.Alias).Distinct().Count());
}
