using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
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
    private readonly Func<ProcessStartInfo, ProcessStartInfo> launch;
    private Process process;

    public static bool Available => File.Exists(Binary);

    /// <param name="password">When set, clients must authenticate (<c>requirepass</c>).</param>
    /// <param name="tls">When set, the server speaks only TLS with these files and asks every client for a certificate of the same authority.</param>
    /// <param name="address">The address it listens on and clients reach it at (a test host's, for a server in a network namespace).</param>
    /// <param name="launch">How to start a process there (run inside a namespace); as it is by default.</param>
    public RedisServer(string? password = null, CertificateFiles? tls = null, string address = "127.0.0.1", Func<ProcessStartInfo, ProcessStartInfo>? launch = null)
    {
        Password = password;
        Tls = tls;
        Address = address;
        this.launch = launch ?? (start => start);
        Port = FreePorts.Next();
        process = Start();
    }

    public string? Password { get; }

    public CertificateFiles? Tls { get; }

    public string Address { get; }

    public int Port { get; }

    /// <summary>StackExchange.Redis connection string.</summary>
    public string ConnectionString => $"{Address}:{Port}" + (Tls is null ? "" : ",ssl=true") + (Password is null ? "" : $",password={Password}");

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
            ArgumentList = { "--bind", Address, "--dir", folder.Path, "--appendonly", "yes", "--save", "", "--protected-mode", "no" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (Tls is null)
        {
            start.ArgumentList.Add("--port");
            start.ArgumentList.Add(Port.ToString());
        }
        else
        {
            foreach (var argument in new[]
                     {
                         "--port", "0", "--tls-port", Port.ToString(), "--tls-cert-file", Tls.Certificate, "--tls-key-file", Tls.Key,
                         "--tls-ca-cert-file", Tls.Authority, "--tls-auth-clients", "yes",
                     })
                start.ArgumentList.Add(argument);
        }
        if (Password is not null)
        {
            start.ArgumentList.Add("--requirepass");
            start.ArgumentList.Add(Password);
        }
        var started = Process.Start(launch(start)) ?? throw new InvalidOperationException("could not start redis-server");
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

    /// <summary>The connection's stream: plain, or TLS presenting this server's own certificate (it is of the authority the server asks for).</summary>
    private Stream Stream(TcpClient client)
    {
        if (Tls is null) return client.GetStream();
        var tls = new SslStream(client.GetStream(), false, (_, _, _, _) => true);
        tls.AuthenticateAsClient(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            ClientCertificates = [X509Certificate2.CreateFromPemFile(Tls.Certificate, Tls.Key)],
        });
        return tls;
    }

    private void WaitUntilReady()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Parse(Address), Port);
                using var stream = Stream(client);
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
            catch (Exception e) when (e is SocketException or IOException && DateTime.UtcNow < deadline)
            {
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"redis-server did not answer on port {Port}");
            Thread.Sleep(50);
        }
    }
}
