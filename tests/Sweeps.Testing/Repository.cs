namespace Sweeps.Testing;

/// <summary>The repository checkout the tests run from (found by walking up to Sweeps.sln).</summary>
public static class Repository
{
    public static string Root { get; } = Find();

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string Find()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "Sweeps.sln"))) return folder.FullName;
        throw new InvalidOperationException("Sweeps.sln not found above " + AppContext.BaseDirectory);
    }
}
