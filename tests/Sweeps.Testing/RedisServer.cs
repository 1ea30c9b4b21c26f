using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Sweeps.Testing;

/// <summary>
/// A real Redis (Debian's redis-server) on a free loopback port with its data and append-only file in a temporary
/// folder; stopped and deleted on dispose. <see cref="Available"/> is false where the binary is missing.
/// </summary>
public sealed class RedisServer : IDisposable
{
    private const string Binary = "/usr/bin/redis-server";
    private readonly TemporaryFolder folder = new();
    private Process process;

    public static bool Available => File.Exists(Binary);

    /// <param name="password">When set, clients must authenticate (<c>requirepass</c>).</param>
    public RedisServer(string? password = null)
    {
        Password = password;
        Port = FreePorts.Next();
        process = Start();
    }

    public string? Password { get; }

    public int Port { get; }

    /// <summary>StackExchange.Redis connection string.</summary>
    public string ConnectionString => Password is null ? $"127.0.0.1:{Port}" : $"127.0.0.1:{Port},password={Password}";

    /// <summary>Kills the server and starts it again on the same port and files (AOF replays what was written).</summary>
    public void Restart()
    {
        Stop();
        process = Start();
    }

    public void Dispose()
    {
        Stop();
        folder.Dispose();
    }

    private Process Start()
    {
        var start = new ProcessStartInfo(Binary)
        {
            ArgumentList = { "--port", Port.ToString(), "--bind", "127.0.0.1", "--dir", folder.Path, "--appendonly", "yes", "--save", "", "--protected-mode", "no" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (Password is not null)
        {
            start.ArgumentList.Add("--requirepass");
            start.ArgumentList.Add(Password);
        }
        var started = Process.Start(start) ?? throw new InvalidOperationException("could not start redis-server");
        started.OutputDataReceived += (_, _) => { };
        started.ErrorDataReceived += (_, _) => { };
        started.BeginOutputReadLine();
        started.BeginErrorReadLine();
        WaitUntilReady();
        return started;
    }

    private void Stop()
    {
        if (process.HasExited) return;
        process.Kill();
        process.WaitForExit();
        process.Dispose();
    }

    private void WaitUntilReady()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, Port);
                var stream = client.GetStream();
                if (Password is not null)
                {
                    stream.Write(Encoding.ASCII.GetBytes($"AUTH {Password}\r\n"));
                    stream.ReadExactly(new byte[5]); // +OK\r\n
                }
                stream.Write("PING\r\n"u8);
                var buffer = new byte[16];
                var read = stream.Read(buffer);
                if (Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal)) return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"redis-server did not answer on port {Port}");
            Thread.Sleep(50);
        }
    }
}
