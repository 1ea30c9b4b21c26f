using System.Diagnostics;

namespace Sweeps.Network.Tests;

/// <summary>The lab itself: what a run killed before disposing its lab leaves behind is gone when the next lab is made.</summary>
public sealed class NetworkLabTests
{
    [Fact]
    public void LabOfADeadProcess_IsRemovedByTheNextCreate_AndALiveOnesIsKept()
    {
        using var live = NetworkLab.Create();
        var liveHost = live.AddHost("h");
        var orphan = NetworkLab.Create();
        var orphanHost = orphan.AddHost("h");
        // The orphan's owner becomes a process that has exited, as when a test run is killed mid-scenario.
        using (var exited = Process.Start(new ProcessStartInfo("true"))!)
        {
            exited.WaitForExit();
            File.WriteAllText(orphan.OwnerFile, exited.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        using var next = NetworkLab.Create();

        var namespaces = Run("ip", "netns", "list");
        Assert.DoesNotContain(orphanHost.Namespace, namespaces);
        Assert.DoesNotContain($"{orphan.Name}-sw", namespaces);
        Assert.DoesNotContain($"{orphan.Name}-obs", Run("ip", "link", "show"));
        Assert.False(File.Exists(orphan.OwnerFile));
        Assert.Contains(liveHost.Namespace, namespaces);
        Assert.True(File.Exists(live.OwnerFile));
        Assert.NotEqual(live.ObserverAddress, next.ObserverAddress);
    }

    private static string Run(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return output;
    }
}
