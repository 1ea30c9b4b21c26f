using System.Text;
using k8s.Models;

namespace Sweeps.Deploy.Tests;

/// <summary>
/// The silo container's environment as Kubernetes would give it to a pod of the rendered Deployment: literal values,
/// the downward API (pod name, namespace and IP, the pod's labels) and secret keys, with the pod's IP on loopback.
/// Files the pod mounts (certificates) keep their in-pod paths; a test points them at its own.
/// </summary>
public static class ManifestEnvironment
{
    public static Dictionary<string, string> Of(RenderedManifests rendered, string podName, string podIp)
    {
        var pod = rendered.Silo.Spec.Template;
        var environment = new Dictionary<string, string>();
        foreach (var variable in rendered.SiloContainer.Env)
        {
            environment[variable.Name] = variable switch
            {
                { Value: { } value } => value,
                { ValueFrom.FieldRef.FieldPath: var path } => FieldOf(path, pod, rendered.Silo.Metadata.NamespaceProperty, podName, podIp),
                { ValueFrom.SecretKeyRef: { } key } => SecretOf(rendered, key.Name, key.Key),
                _ => throw new NotSupportedException($"env {variable.Name}: only values, field references and secret keys are resolved"),
            };
        }
        return environment;
    }

    private static string FieldOf(string path, V1PodTemplateSpec pod, string ns, string podName, string podIp) => path switch
    {
        "metadata.name" => podName,
        "metadata.namespace" => ns,
        "status.podIP" => podIp,
        _ when path.StartsWith("metadata.labels['", StringComparison.Ordinal) => pod.Metadata.Labels[path["metadata.labels['".Length..^2]],
        _ => throw new NotSupportedException($"field {path}"),
    };

    /// <summary>A rendered Secret's key; for a Secret the user makes (the store's password), a placeholder the test must override.</summary>
    private static string SecretOf(RenderedManifests rendered, string name, string key)
    {
        if (rendered.All<V1Secret>().SingleOrDefault(s => s.Metadata.Name == name) is not { } secret) return $"<secret {name}/{key}>";
        return secret.StringData?.TryGetValue(key, out var text) == true ? text : Encoding.UTF8.GetString(secret.Data[key]);
    }
}
