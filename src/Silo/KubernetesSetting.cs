namespace Sweeps.Silo;

/// <summary>
/// <c>Sweeps:Kubernetes</c>: true or false, or unset to decide by the environment (Kubernetes sets KUBERNETES_SERVICE_HOST in
/// every pod). Off outside a cluster, since the hosting integration talks to the API server at start.
/// </summary>
public static class KubernetesSetting
{
    public const string Key = "Sweeps:Kubernetes";

    public static bool IsOn(IConfiguration configuration) =>
        configuration.GetValue<bool?>(Key) ?? !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST"));
}
