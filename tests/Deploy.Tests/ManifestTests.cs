using k8s.Models;
using Sweeps.Artifacts;
using Sweeps.Grains.Workers;
using Sweeps.SweepClient.Grids;

namespace Sweeps.Deploy.Tests;

/// <summary>
/// deploy/k8s rendered as `kubectl apply -k` would send it: every object reads strictly into the official Kubernetes
/// models, and the policies a GPU pool deployment depends on hold.
/// </summary>
public sealed class ManifestTests
{
    public static TheoryData<string> Overlays => new() { "gpu", "cpu" };

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Overlay_Renders_AndEveryObjectDeserialisesStrictly(string overlay)
    {
        Assert.True(RenderedManifests.RendererAvailable, "neither kustomize nor kubectl is on the PATH (scripts/test installs kustomize)");
        var rendered = RenderedManifests.Render(overlay);

        var kinds = rendered.Objects.Select(o => o.GetType().Name).ToHashSet();
        Assert.Superset(new HashSet<string> { "V1Namespace", "V1ServiceAccount", "V1Role", "V1RoleBinding", "V1Deployment", "V1Service", "V1StatefulSet", "V1PersistentVolumeClaim", "V1ConfigMap", "V1NetworkPolicy" }, kinds);
        // Secrets are the user's to make (docs/operations.md, "Certificates"): none is rendered with a value in it.
        Assert.Empty(rendered.All<V1Secret>());
        Assert.All(rendered.All<k8s.IKubernetesObject<V1ObjectMeta>>().Where(o => o is not V1Namespace), o => Assert.Equal("sweeps", o.Metadata.NamespaceProperty));
    }

    [Fact]
    public void StrictReading_RejectsAnUnknownField()
    {
        var yaml = RenderedManifests.Render("cpu").Yaml.Replace("terminationGracePeriodSeconds:", "terminationGracePeriodSecs:");
        Assert.ThrowsAny<Exception>(() => RenderedManifests.Read(yaml));
    }

    [Fact]
    public void GpuPods_RequestAndLimitOneGpu_TolerateThePoolTaint_AndServeTheGridsPool()
    {
        var gpu = RenderedManifests.Render("gpu");
        var pod = gpu.Silo.Spec.Template.Spec;
        var resources = gpu.SiloContainer.Resources;

        Assert.Equal("1", resources.Requests["nvidia.com/gpu"].ToString());
        Assert.Equal("1", resources.Limits["nvidia.com/gpu"].ToString());
        Assert.Contains(pod.Tolerations, t => t.Key == "nvidia.com/gpu" && t.Effect == "NoSchedule" && t.OperatorProperty == "Exists");
        Assert.Equal("gpu", pod.NodeSelector["sweeps.dev/pool"]);
        Assert.Contains("silo-cuda", gpu.SiloContainer.Image);
        // One trial slot per GPU: no fixed device list, so the silo leases each CUDA device it sees.
        Assert.Null(gpu.Env("Sweeps__Devices"));
        // The paper grid asks for the pool these silos serve.
        var paper = GridFile.Load(Repository.PathOf("examples", "paper-glue.yaml"), new GridLimits(CheckPaths: false));
        Assert.Equal(paper.Resources.Pool, gpu.Env("Sweeps__Pool"));
    }

    [Fact]
    public void CpuPods_AskForNoGpu_AndRunOnAnyNode()
    {
        var cpu = RenderedManifests.Render("cpu");
        var resources = cpu.SiloContainer.Resources;
        Assert.False(resources.Requests?.ContainsKey("nvidia.com/gpu") ?? false);
        Assert.False(resources.Limits?.ContainsKey("nvidia.com/gpu") ?? false);
        Assert.Null(cpu.Silo.Spec.Template.Spec.NodeSelector);
        Assert.Contains("silo-cpu", cpu.SiloContainer.Image);
        Assert.Equal("cpu", cpu.Env("Sweeps__Pool"));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Probes_PointAtTheSilosHealthEndpoints_OnItsHttpPort(string overlay)
    {
        var rendered = RenderedManifests.Render(overlay);
        var container = rendered.SiloContainer;
        var http = container.Ports.Single(p => p.Name == "http").ContainerPort;

        Assert.Equal(http.ToString(), rendered.Env("ASPNETCORE_HTTP_PORTS")); // the port the silo's web host listens on
        Assert.Equal("/healthz", container.LivenessProbe.HttpGet.Path);
        Assert.Equal("/readyz", container.ReadinessProbe.HttpGet.Path);
        Assert.Equal("/healthz", container.StartupProbe.HttpGet.Path);
        Assert.All(new[] { container.LivenessProbe, container.ReadinessProbe, container.StartupProbe }, p => Assert.Equal("http", p.HttpGet.Port.Value));
        Assert.Equal(rendered.Env("Sweeps__Store__SiloPort"), container.Ports.Single(p => p.Name == "silo").ContainerPort.ToString());
        Assert.Equal(rendered.Env("Sweeps__Store__GatewayPort"), container.Ports.Single(p => p.Name == "gateway").ContainerPort.ToString());

        var annotations = rendered.Silo.Spec.Template.Metadata.Annotations;
        Assert.Equal("true", annotations["prometheus.io/scrape"]);
        Assert.Equal(http.ToString(), annotations["prometheus.io/port"]);
        Assert.Equal("/metrics", annotations["prometheus.io/path"]);
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void EveryImage_CarriesAPinnedTag(string overlay)
    {
        var rendered = RenderedManifests.Render(overlay);
        var images = rendered.All<V1Deployment>().SelectMany(d => d.Spec.Template.Spec.Containers)
            .Concat(rendered.All<V1StatefulSet>().SelectMany(s => s.Spec.Template.Spec.Containers))
            .Select(c => c.Image).ToList();
        Assert.NotEmpty(images);
        Assert.All(images, image =>
        {
            var tag = image.Contains('@') ? null : image[(image.LastIndexOf('/') + 1)..].Split(':').ElementAtOrDefault(1);
            Assert.True(image.Contains("@sha256:") || (tag is not null && tag != "latest" && tag.Any(char.IsDigit)), $"{image} has no pinned tag");
        });
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Rbac_GrantsTheSilosAccountWhatOrleansKubernetesHostingCalls(string overlay)
    {
        var rendered = RenderedManifests.Render(overlay);
        var account = rendered.Silo.Spec.Template.Spec.ServiceAccountName;
        Assert.Equal(account, rendered.Single<V1ServiceAccount>(account).Metadata.Name);

        var binding = rendered.All<V1RoleBinding>().Single(b => b.Subjects.Any(s => s.Kind == "ServiceAccount" && s.Name == account));
        var role = rendered.Single<V1Role>(binding.RoleRef.Name);
        Assert.Equal("Role", binding.RoleRef.Kind);
        // The hosting integration reads and labels its own pod, lists and watches the cluster's pods, and deletes defunct silos' pods.
        var podVerbs = role.Rules.Where(r => r.ApiGroups.Contains("") && r.Resources.Contains("pods")).SelectMany(r => r.Verbs).ToHashSet();
        Assert.Superset(podVerbs, new HashSet<string> { "get", "list", "watch", "patch", "delete" });
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Pods_CarryTheOrleansLabels_ThatMatchTheSilosClusterIds(string overlay)
    {
        var rendered = RenderedManifests.Render(overlay);
        var labels = rendered.Silo.Spec.Template.Metadata.Labels;
        Assert.Equal(rendered.Env("Sweeps__Store__ServiceId"), labels["orleans/serviceId"]);
        Assert.Equal(rendered.Env("Sweeps__Store__ClusterId"), labels["orleans/clusterId"]);
        var fromLabels = rendered.SiloContainer.Env.Where(e => e.Name is "ORLEANS_SERVICE_ID" or "ORLEANS_CLUSTER_ID").Select(e => e.ValueFrom.FieldRef.FieldPath);
        Assert.Equal(["metadata.labels['orleans/serviceId']", "metadata.labels['orleans/clusterId']"], fromLabels);
        foreach (var name in new[] { "POD_NAME", "POD_NAMESPACE", "POD_IP" })
            Assert.NotNull(rendered.SiloContainer.Env.Single(e => e.Name == name).ValueFrom.FieldRef);
    }

    /// <summary>The silo's own resident bound (Silo.Tests/SiloWorkerTests holds it there over 30 trials).</summary>
    private const long SiloMemory = 512L << 20;

    /// <summary>
    /// What a default-grid trial's worker mapped at most: 3,195 MiB, a dense trial (bench/process-memory.sh on AMD EPYC,
    /// docs/benchmarks.md "Trial workers").
    /// </summary>
    private const long DefaultGridWorkerMapped = 3195L << 20;

    [Fact]
    public void CpuPods_MemoryLimit_AdmitsTheSiloAndEverySlotsWorkerAtItsCap_WhichAdmitsADefaultGridTrial()
    {
        var cpu = RenderedManifests.Render("cpu");
        var limit = cpu.SiloContainer.Resources.Limits["memory"].ToInt64();
        var slots = int.Parse(cpu.Env("Sweeps__CpuSlots")!);
        var cap = MemorySize.TryParse(cpu.Env("Sweeps__Worker__Memory"));

        Assert.NotNull(cap); // a size: "auto" would share the limit among the slots, leaving the silo nothing of its own
        Assert.True(limit >= SiloMemory + slots * cap, $"limit {MemorySize.Format(limit)} < silo {MemorySize.Format(SiloMemory)} + {slots} × {MemorySize.Format(cap.Value)}");
        Assert.True(cap >= DefaultGridWorkerMapped, $"cap {MemorySize.Format(cap.Value)} below the {MemorySize.Format(DefaultGridWorkerMapped)} a default-grid trial maps");
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void WorkerStopGrace_EndsWithinTheSilosShutdownTimeout(string overlay)
    {
        var rendered = RenderedManifests.Render(overlay);
        var grace = rendered.Env("Sweeps__Worker__StopGrace") is { } set ? TimeSpan.Parse(set) : new WorkerSettings().StopGrace;
        var shutdown = TimeSpan.Parse(rendered.Env("Sweeps__ShutdownTimeout")!);
        Assert.True(grace < shutdown, $"a worker may take {grace} to checkpoint, the silo stops after {shutdown}");
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void GracePeriod_CoversThePreStopPauseAndTheSilosShutdownTimeout(string overlay)
    {
        var rendered = RenderedManifests.Render(overlay);
        var pod = rendered.Silo.Spec.Template.Spec;
        var preStop = rendered.SiloContainer.Lifecycle.PreStop.Exec.Command;
        Assert.Equal("sleep", preStop[0]);
        var pause = TimeSpan.FromSeconds(int.Parse(preStop[1]));
        var shutdown = TimeSpan.Parse(rendered.Env("Sweeps__ShutdownTimeout")!);
        Assert.True(TimeSpan.FromSeconds(pod.TerminationGracePeriodSeconds!.Value) >= pause + shutdown + TimeSpan.FromSeconds(10),
            $"terminationGracePeriodSeconds {pod.TerminationGracePeriodSeconds} < preStop {pause} + shutdown {shutdown} + 10 s");
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Silos_RunAsNonRoot_AndShareTheArtefactVolume(string overlay)
    {
        var rendered = RenderedManifests.Render(overlay);
        var pod = rendered.Silo.Spec.Template.Spec;
        Assert.True(pod.SecurityContext.RunAsNonRoot);
        Assert.NotEqual(0, pod.SecurityContext.RunAsUser);
        Assert.False(rendered.SiloContainer.SecurityContext.AllowPrivilegeEscalation);

        var artifacts = rendered.SiloContainer.VolumeMounts.Single(m => m.MountPath == rendered.Env("Sweeps__ArtifactRoot"));
        var claim = pod.Volumes.Single(v => v.Name == artifacts.Name).PersistentVolumeClaim.ClaimName;
        var modes = rendered.Single<V1PersistentVolumeClaim>(claim).Spec.AccessModes;
        // Several silos write it at once: ReadWriteMany on a real pool; a single-node laptop cluster shares a ReadWriteOnce volume.
        Assert.Equal(overlay == "gpu" ? "ReadWriteMany" : "ReadWriteOnce", Assert.Single(modes));

        var redis = rendered.Single<V1StatefulSet>("sweeps-redis");
        Assert.Contains("--appendonly", redis.Spec.Template.Spec.Containers[0].Args);
        Assert.NotEmpty(redis.Spec.VolumeClaimTemplates);
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void NetworkPolicies_LetOnlySilosReachTheSiloPortAndTheStore_AndTrialsReadOnlyTheInputVolume(string overlay)
    {
        var rendered = RenderedManifests.Render(overlay);
        var siloLabels = rendered.Silo.Spec.Template.Metadata.Labels;
        bool FromSilosOnly(V1NetworkPolicyIngressRule rule) =>
            rule.FromProperty is { Count: 1 } from && from[0].PodSelector?.MatchLabels is { } match && match.All(l => siloLabels.TryGetValue(l.Key, out var v) && v == l.Value);

        var silo = rendered.Single<V1NetworkPolicy>("sweeps-silo");
        Assert.All(silo.Spec.Ingress.Where(r => r.Ports.Any(p => p.Port.Value == "silo")), r => Assert.True(FromSilosOnly(r)));
        Assert.Contains(silo.Spec.Ingress, r => r.Ports.Any(p => p.Port.Value == "silo"));
        var redis = rendered.Single<V1NetworkPolicy>("sweeps-redis");
        Assert.True(FromSilosOnly(Assert.Single(redis.Spec.Ingress)));

        var inputs = rendered.SiloContainer.VolumeMounts.Single(m => m.MountPath == rendered.Env("Sweeps__InputRoots"));
        Assert.True(inputs.ReadOnlyProperty);
    }

    [Fact]
    public void ServiceMonitor_ScrapesTheSilosMetricsPort_AndDashboardsShipAsAConfigMap()
    {
        var gpu = RenderedManifests.Render("gpu");
        var monitor = Assert.Single(gpu.All<ServiceMonitor>());
        var service = gpu.All<V1Service>().Single(s => monitor.Spec.Selector.MatchLabels.All(l => s.Metadata.Labels is { } labels && labels.TryGetValue(l.Key, out var value) && value == l.Value));
        var endpoint = Assert.Single(monitor.Spec.Endpoints);
        Assert.Equal("/metrics", endpoint.Path);
        var port = service.Spec.Ports.Single(p => p.Name == endpoint.Port);
        Assert.Equal("http", port.TargetPort.Value);
        Assert.Equal(service.Spec.Selector, gpu.Silo.Spec.Selector.MatchLabels);

        // The dashboards ConfigMap holds every file of deploy/grafana/dashboards, as it is.
        var dashboards = gpu.Single<V1ConfigMap>("sweeps-dashboards");
        Assert.Equal("1", dashboards.Metadata.Labels["grafana_dashboard"]);
        var files = Directory.GetFiles(Repository.PathOf("deploy", "grafana", "dashboards"), "*.json");
        Assert.Equal(files.Select(Path.GetFileName).Order(), dashboards.Data.Keys.Order());
        Assert.All(files, f => Assert.Equal(File.ReadAllText(f), dashboards.Data[Path.GetFileName(f)]));

        Assert.Empty(RenderedManifests.Render("cpu").All<ServiceMonitor>()); // laptop clusters rarely run the Prometheus Operator
    }

    [Theory]
    [InlineData("gpu")]
    [InlineData("cpu")]
    public void EverySiloRedisAndClient_MountsItsTlsSecret_WhereItsSettingsLook(string overlay)
    {
        var objects = RenderedManifests.Read(RenderedManifests.Kustomize(OverlayWith(overlay, "submit-job", out var folder)));
        try
        {
            var pods = objects.OfType<V1Deployment>().Select(d => (d.Metadata.Name, d.Spec.Template.Spec))
                .Concat(objects.OfType<V1StatefulSet>().Select(s => (s.Metadata.Name, s.Spec.Template.Spec)))
                .Concat(objects.OfType<V1Job>().Select(j => (j.Metadata.Name, j.Spec.Template.Spec)))
                .ToList();
            Assert.Equal(["sweeps-redis", "sweeps-silo", "sweeps-submit"], pods.Select(p => p.Name).Order());
            foreach (var (name, pod) in pods)
            {
                // The TLS Secret of its role, read-only, at a folder holding the three files its settings name.
                var volume = Assert.Single(pod.Volumes, v => v.Secret is not null);
                Assert.Equal(name switch { "sweeps-silo" => "sweeps-silo-tls", "sweeps-redis" => "sweeps-redis-tls", _ => "sweeps-client-tls" }, volume.Secret.SecretName);
                var container = Assert.Single(pod.Containers);
                var mount = Assert.Single(container.VolumeMounts, m => m.Name == volume.Name);
                Assert.True(mount.ReadOnlyProperty, $"{name}: the TLS mount is writable");
                var settings = string.Join(" ", (container.Args ?? []).Concat(container.Env?.Select(e => e.Value ?? "") ?? []).Concat(container.ReadinessProbe?.Exec?.Command ?? []));
                foreach (var file in new[] { "tls.crt", "tls.key", "ca.crt" }) Assert.Contains($"{mount.MountPath}/{file}", settings);
            }

            // The silos turn TLS on by naming the files; Redis speaks only TLS, asks clients for certificates, wants the password.
            var silo = pods.Single(p => p.Name == "sweeps-silo").Spec.Containers.Single();
            Assert.Equal("/etc/sweeps/tls/tls.crt", silo.Env.Single(e => e.Name == "Sweeps__Tls__Certificate").Value);
            Assert.DoesNotContain(silo.Env, e => e.Name == "Sweeps__Tls__Enabled");
            var redis = pods.Single(p => p.Name == "sweeps-redis").Spec.Containers.Single().Args;
            Assert.Equal("0", redis[redis.IndexOf("--port") + 1]);
            Assert.Equal("yes", redis[redis.IndexOf("--tls-auth-clients") + 1]);
            Assert.Equal("$(REDIS_PASSWORD)", redis[redis.IndexOf("--requirepass") + 1]);
            var client = pods.Single(p => p.Name == "sweeps-submit").Spec.Containers.Single();
            Assert.Equal(["SWEEPS_TLS_CA", "SWEEPS_TLS_CERT", "SWEEPS_TLS_KEY"], client.Env.Select(e => e.Name).Order());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>An overlay of a user's own: <paramref name="overlay"/> plus a component of deploy/k8s/components.</summary>
    private static string OverlayWith(string overlay, string component, out string folder)
    {
        folder = Directory.CreateTempSubdirectory("sweeps-overlay-").FullName;
        var k8s = Repository.PathOf("deploy", "k8s");
        File.WriteAllText(Path.Combine(folder, "kustomization.yaml"), $"""
            apiVersion: kustomize.config.k8s.io/v1beta1
            kind: Kustomization
            namespace: sweeps
            resources:
              - {Path.GetRelativePath(folder, Path.Combine(k8s, "overlays", overlay))}
            components:
              - {Path.GetRelativePath(folder, Path.Combine(k8s, "components", component))}
            """);
        return folder;
    }

    [Fact]
    public void PagesIngress_Component_SendsOnlyThePagesToTheSilosHttpPort()
    {
        // The component as a user adds it: an overlay of their own, the cpu overlay plus components/pages-ingress.
        var objects = RenderedManifests.Read(RenderedManifests.Kustomize(OverlayWith("cpu", "pages-ingress", out var folder)));
        try
        {
            var ingress = Assert.Single(objects.OfType<V1Ingress>());
            var path = Assert.Single(Assert.Single(ingress.Spec.Rules).Http.Paths);
            Assert.Equal(("/sweeps", "Prefix"), (path.Path, path.PathType));
            var service = objects.OfType<V1Service>().Single(s => s.Metadata.Name == path.Backend.Service.Name);
            Assert.Equal("http", service.Spec.Ports.Single(p => p.Name == path.Backend.Service.Port.Name).TargetPort.Value);
            Assert.Equal("sweeps", ingress.Metadata.NamespaceProperty);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
