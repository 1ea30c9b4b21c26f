using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Sweeps.Deploy.Tests;

/// <summary>
/// The Prometheus Operator's ServiceMonitor (monitoring.coreos.com/v1), which the official client has no model for: the
/// fields of its schema that our manifests use, so strict deserialisation still rejects anything else.
/// </summary>
[KubernetesEntity(Group = "monitoring.coreos.com", ApiVersion = "v1", Kind = "ServiceMonitor", PluralName = "servicemonitors")]
public sealed class ServiceMonitor : IKubernetesObject<V1ObjectMeta>
{
    [JsonPropertyName("apiVersion")] public string ApiVersion { get; set; } = "";
    [JsonPropertyName("kind")] public string Kind { get; set; } = "";
    [JsonPropertyName("metadata")] public V1ObjectMeta Metadata { get; set; } = new();
    [JsonPropertyName("spec")] public ServiceMonitorSpec Spec { get; set; } = new();
}

public sealed class ServiceMonitorSpec
{
    [JsonPropertyName("selector")] public V1LabelSelector Selector { get; set; } = new();
    [JsonPropertyName("endpoints")] public List<ServiceMonitorEndpoint> Endpoints { get; set; } = [];
    [JsonPropertyName("namespaceSelector")] public ServiceMonitorNamespaceSelector? NamespaceSelector { get; set; }
}

public sealed class ServiceMonitorEndpoint
{
    [JsonPropertyName("port")] public string? Port { get; set; }
    [JsonPropertyName("path")] public string? Path { get; set; }
    [JsonPropertyName("interval")] public string? Interval { get; set; }
    [JsonPropertyName("scheme")] public string? Scheme { get; set; }
}

public sealed class ServiceMonitorNamespaceSelector
{
    [JsonPropertyName("any")] public bool? Any { get; set; }
    [JsonPropertyName("matchNames")] public List<string>? MatchNames { get; set; }
}
