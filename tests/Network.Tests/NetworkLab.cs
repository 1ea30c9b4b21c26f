using System.Diagnostics;
using System.Security.Cryptography;

namespace Sweeps.Network.Tests;

/// <summary>
/// Hosts on one machine: each a network namespace with its own address on a private /24, joined through veth pairs to
/// a bridge in a switch namespace of their own (the machine's own namespace is touched only by the observer's link,
/// which lets the test process reach the hosts). A host is cut off by taking its switch port down (its packets go
/// nowhere, as with a pulled cable) and healed by bringing it up; one path is cut by a blackhole route. Everything is
/// removed on dispose; a lab whose test process died before disposing it (killed, timed out) is removed by the next
/// <see cref="Create"/>, which finds it by the owner file it wrote under <see cref="OwnersDirectory"/>. Needs root
/// (CAP_NET_ADMIN); <see cref="Create"/> throws, never skips, where it cannot.
/// </summary>
public sealed class NetworkLab : IDisposable
{
    private readonly string prefix;
    private readonly string subnet;
    private readonly List<LabHost> hosts = [];
    private readonly List<string> namespaces = [];
    private bool observerLinked;

    private NetworkLab(string prefix, string subnet)
    {
        this.prefix = prefix;
        this.subnet = subnet;
    }

    /// <summary>The prefix of every namespace and link the lab makes (sw and four hex digits).</summary>
    public string Name => prefix;

    private string Switch => $"{prefix}-sw";

    /// <summary>The test process's own address on the lab network.</summary>
    public string ObserverAddress => $"{subnet}.254";

    /// <summary>One file per live lab, named by its prefix, holding the id of the process that made it.</summary>
    public const string OwnersDirectory = "/run/sweeps-network-lab";

    public static NetworkLab Create()
    {
        RemoveOrphanedLabs();
        var prefix = "sw" + Convert.ToHexString(RandomNumberGenerator.GetBytes(2)).ToLowerInvariant();
        var lab = new NetworkLab(prefix, FreeSubnet());
        try
        {
            Directory.CreateDirectory(OwnersDirectory);
            File.WriteAllText(lab.OwnerFile, Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
            lab.AddNamespace(lab.Switch);
            lab.Run(lab.Switch, "ip", "link", "add", "br0", "type", "bridge");
            lab.Run(lab.Switch, "ip", "link", "set", "br0", "up");
            // The observer: a veth from the machine's namespace into the switch.
            Run(null, "ip", "link", "add", $"{prefix}-obs", "type", "veth", "peer", "name", "obs", "netns", lab.Switch);
            lab.observerLinked = true;
            Run(null, "ip", "addr", "add", $"{lab.ObserverAddress}/24", "dev", $"{prefix}-obs");
            Run(null, "ip", "link", "set", $"{prefix}-obs", "up");
            lab.Run(lab.Switch, "ip", "link", "set", "obs", "master", "br0");
            lab.Run(lab.Switch, "ip", "link", "set", "obs", "up");
            return lab;
        }
        catch (Exception e)
        {
            lab.Dispose();
            throw new InvalidOperationException(
                "network namespaces cannot be made here (these tests need root or CAP_NET_ADMIN, and iproute2): " + e.Message, e);
        }
    }

    /// <summary>A new host with the next address (.1, .2, ...).</summary>
    public LabHost AddHost(string name)
    {
        var index = hosts.Count + 1;
        var ns = $"{prefix}-{name}";
        AddNamespace(ns);
        var port = $"p{index}";
        Run(Switch, "ip", "link", "add", port, "type", "veth", "peer", "name", "eth0", "netns", ns);
        Run(Switch, "ip", "link", "set", port, "master", "br0");
        Run(Switch, "ip", "link", "set", port, "up");
        Run(ns, "ip", "link", "set", "lo", "up");
        Run(ns, "ip", "addr", "add", $"{subnet}.{index}/24", "dev", "eth0");
        Run(ns, "ip", "link", "set", "eth0", "up");
        var host = new LabHost(name, ns, $"{subnet}.{index}", port);
        hosts.Add(host);
        return host;
    }

    /// <summary>Cuts <paramref name="host"/> off from every other host and the observer.</summary>
    public void Cut(LabHost host) => Run(Switch, "ip", "link", "set", host.SwitchPort, "down");

    public void Heal(LabHost host) => Run(Switch, "ip", "link", "set", host.SwitchPort, "up");

    /// <summary>Cuts the path from <paramref name="from"/> to <paramref name="to"/> alone (a blackhole route on <paramref name="from"/>, and back).</summary>
    public void CutPath(LabHost from, LabHost to)
    {
        Run(from.Namespace, "ip", "route", "add", "blackhole", $"{to.Address}/32");
        Run(to.Namespace, "ip", "route", "add", "blackhole", $"{from.Address}/32");
    }

    public void HealPath(LabHost from, LabHost to)
    {
        Run(from.Namespace, "ip", "route", "del", "blackhole", $"{to.Address}/32");
        Run(to.Namespace, "ip", "route", "del", "blackhole", $"{from.Address}/32");
    }

    /// <summary>A process inside <paramref name="host"/>'s namespace.</summary>
    public static ProcessStartInfo InHost(LabHost host, ProcessStartInfo start)
    {
        var wrapped = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "netns", "exec", host.Namespace, start.FileName }) wrapped.ArgumentList.Add(argument);
        foreach (var argument in start.ArgumentList) wrapped.ArgumentList.Add(argument);
        wrapped.Environment.Clear(); // exactly the environment the caller prepared, nothing inherited past it
        foreach (var (name, value) in start.Environment) wrapped.Environment[name] = value;
        return wrapped;
    }

    public void Dispose()
    {
        foreach (var ns in Enumerable.Reverse(namespaces)) Ip("netns", "del", ns);
        if (observerLinked) Ip("link", "del", $"{prefix}-obs");
        File.Delete(OwnerFile);
    }

    public string OwnerFile => Path.Combine(OwnersDirectory, prefix);

    /// <summary>
    /// 10.213.N.0/24 for an N no route on the machine uses yet: a private range, where another lab (live, or left by a
    /// killed run) or the machine's own networks may already hold some N.
    /// </summary>
    private static string FreeSubnet()
    {
        var routes = Ip("route").Output;
        var free = Enumerable.Range(1, 249).Where(n => !routes.Contains($"10.213.{n}.", StringComparison.Ordinal)).ToArray();
        if (free.Length == 0) throw new InvalidOperationException("every 10.213.N.0/24 is already routed on this machine");
        return $"10.213.{free[RandomNumberGenerator.GetInt32(free.Length)]}";
    }

    /// <summary>Removes the namespaces and observer link of every lab whose owner process no longer runs.</summary>
    private static void RemoveOrphanedLabs()
    {
        if (!Directory.Exists(OwnersDirectory)) return;
        var namespaceNames = Ip("netns", "list").Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ')[0]).ToArray();
        foreach (var ownerFile in Directory.GetFiles(OwnersDirectory))
        {
            if (int.TryParse(File.ReadAllText(ownerFile).Trim(), out var owner) && Directory.Exists($"/proc/{owner}")) continue;
            var orphan = Path.GetFileName(ownerFile);
            foreach (var ns in namespaceNames.Where(name => name.StartsWith(orphan + "-", StringComparison.Ordinal))) Ip("netns", "del", ns);
            Ip("link", "del", $"{orphan}-obs");
            File.Delete(ownerFile);
        }
    }

    private void AddNamespace(string ns)
    {
        Run(null, "ip", "netns", "add", ns);
        namespaces.Add(ns);
    }

    private void Run(string? ns, params string[] command) => Run(ns, command[0], command[1..]);

    private static void Run(string? ns, string file, params string[] arguments)
    {
        var (exitCode, output) = ns is null ? Exec(file, arguments) : Exec("ip", ["netns", "exec", ns, file, .. arguments]);
        if (exitCode != 0) throw new InvalidOperationException($"{(ns is null ? "" : $"[{ns}] ")}{file} {string.Join(' ', arguments)}: {output.Trim()}");
    }

    private static (int ExitCode, string Output) Ip(params string[] arguments) => Exec("ip", arguments);

    private static (int ExitCode, string Output) Exec(string file, string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        try
        {
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output.Result + error);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (127, $"{file}: {e.Message}");
        }
    }
}

/// <summary>One host of a <see cref="NetworkLab"/>: its namespace, its address, and its port on the switch.</summary>
public sealed record LabHost(string Name, string Namespace, string Address, string SwitchPort);
