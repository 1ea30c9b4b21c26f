using System.Diagnostics;
using System.Reflection;
using k8s;
using k8s.Models;

namespace Sweeps.Deploy.Tests;

/// <summary>
/// An overlay rendered by kustomize (<c>kustomize build</c> where kustomize is on the PATH, else <c>kubectl kustomize</c>,
/// which needs kubectl 1.21 or later for components; scripts/test provides one of them) and read strictly (an unknown
/// field fails) into the official models.
/// </summary>
public sealed class RenderedManifests
{
    private RenderedManifests(string yaml, IReadOnlyList<object> objects)
    {
        Yaml = yaml;
        Objects = objects;
    }

    public string Yaml { get; }

    public IReadOnlyList<object> Objects { get; }

    public static RenderedManifests Render(string overlay)
    {
        var yaml = Kustomize(Repository.PathOf("deploy", "k8s", "overlays", overlay));
        return new RenderedManifests(yaml, Read(yaml));
    }

    /// <summary>Every object of a multi-document YAML stream, each as its apiVersion/kind's model; throws on unknown kinds or fields.</summary>
    public static IReadOnlyList<object> Read(string yaml) => KubernetesYaml.LoadAllFromString(yaml, TypeMap.Value, strict: true);

    public IEnumerable<T> All<T>() => Objects.OfType<T>();

    public T Single<T>(string name) where T : IKubernetesObject<V1ObjectMeta> => All<T>().Single(o => o.Metadata.Name == name);

    public V1Deployment Silo => Single<V1Deployment>("sweeps-silo");

    public V1Container SiloContainer => Silo.Spec.Template.Spec.Containers.Single(c => c.Name == "silo");

    public string? Env(string name) => SiloContainer.Env.SingleOrDefault(e => e.Name == name)?.Value;

    public static string Kustomize(string folder)
    {
        var start = OnPath("kustomize")
            ? new ProcessStartInfo("kustomize", ["build", folder])
            : new ProcessStartInfo("kubectl", ["kustomize", folder]);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{start.FileName} {string.Join(' ', start.ArgumentList)} failed: {error}");
        return output.Result;
    }

    public static bool RendererAvailable => OnPath("kustomize") || OnPath("kubectl");

    private static bool OnPath(string program) =>
        Environment.GetEnvironmentVariable("PATH")!.Split(':').Any(p => File.Exists(Path.Combine(p, program)));

    // apiVersion/kind → model, from the client's [KubernetesEntity] attributes, plus the ServiceMonitor model.
    private static readonly Lazy<Dictionary<string, Type>> TypeMap = new(() =>
        typeof(V1Pod).Assembly.GetTypes().Append(typeof(ServiceMonitor))
            .Select(t => (Type: t, Entity: t.GetCustomAttribute<KubernetesEntityAttribute>()))
            .Where(e => e.Entity is { Kind.Length: > 0 })
            .GroupBy(e => Key(e.Entity!))
            .ToDictionary(g => g.Key, g => g.First().Type));

    private static string Key(KubernetesEntityAttribute entity) =>
        string.IsNullOrEmpty(entity.Group) ? $"{entity.ApiVersion}/{entity.Kind}" : $"{entity.Group}/{entity.ApiVersion}/{entity.Kind}";
}
