using System.Security.Cryptography.X509Certificates;
using Sweeps.Grains.Security;

namespace Sweeps.Hosting;

/// <summary>This process's certificate (with its key) and the cluster's authority, loaded and checked by <see cref="TlsSettings"/>.</summary>
public sealed record ClusterCredentials(X509Certificate2 Certificate, ClusterTrust Trust);
