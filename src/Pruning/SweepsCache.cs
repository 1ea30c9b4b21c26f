namespace Sweeps.Pruning;

/// <summary>
/// Where downloaded data and imported models are kept between runs. Defaults to $SWEEPS_CACHE, else
/// $XDG_CACHE_HOME/sweeps, else ~/.cache/sweeps.
/// </summary>
public sealed record SweepsCache(string Root)
{
    public const string EnvironmentVariable = "SWEEPS_CACHE";

    public string ModelsFolder => Path.Combine(Root, "models");
    public string DataFolder => Path.Combine(Root, "data");

    public static SweepsCache Default()
    {
        var configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(configured)) return new SweepsCache(Path.GetFullPath(configured));
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        var baseFolder = !string.IsNullOrWhiteSpace(xdg)
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return new SweepsCache(Path.Combine(baseFolder, "sweeps"));
    }
}
