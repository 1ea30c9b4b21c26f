using Microsoft.Extensions.Options;

namespace Sweeps.Silo;

/// <summary>
/// The host's own <c>Sweeps:*</c> settings, read once when the host is built (they decide what the host is made of)
/// and checked there: a bad value stops the silo with a message naming the setting.
/// </summary>
public sealed class SiloHostOptions
{
    public const string Section = "Sweeps";

    /// <summary>The Orleans Dashboard (grain and silo statistics) at /dashboard; off by default.</summary>
    public bool Dashboard { get; set; }

    /// <summary>
    /// Orleans' Kubernetes hosting: true or false, or unset to decide by the environment (Kubernetes sets
    /// KUBERNETES_SERVICE_HOST in every pod). Off outside a cluster, since the integration talks to the API server at start.
    /// </summary>
    public bool? Kubernetes { get; set; }

    /// <summary>How long a stopping silo may take to checkpoint its running trials and hand them back.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(90);

    public bool UsesKubernetes => Kubernetes ?? !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST"));

    /// <summary>The settings from configuration, checked; throws <see cref="OptionsValidationException"/> naming what is wrong.</summary>
    public static SiloHostOptions From(IConfiguration configuration)
    {
        SiloHostOptions options;
        try
        {
            options = configuration.GetSection(Section).Get<SiloHostOptions>() ?? new SiloHostOptions();
        }
        catch (InvalidOperationException e)
        {
            // A value that does not convert (Sweeps:Dashboard=yes): the binder's message names the key and the type.
            throw new OptionsValidationException(Section, typeof(SiloHostOptions), [e.Message]);
        }
        if (options.ShutdownTimeout <= TimeSpan.Zero)
            throw new OptionsValidationException(Section, typeof(SiloHostOptions),
                [$"{Section}:{nameof(ShutdownTimeout)}: expected a positive time span, got {options.ShutdownTimeout}"]);
        return options;
    }
}
