using System.Globalization;
using System.Text.Json;
using Platform.Contracts.Resources;
using Platform.NodeAgent.Probes;
using Platform.NodeAgent.Runtime;

namespace Platform.NodeAgent.Pods;

/// <summary>Starting containers (image, security, env, labels, limits) and wiring their probes.</summary>
internal sealed partial class PodWorker
{
    /// <summary>How long a container start waits for the node's cluster DNS to answer before it gets the node's resolver.</summary>
    private static readonly TimeSpan DnsWait = TimeSpan.FromSeconds(10);

    private async Task StartContainerAsync(Pod pod, Container spec, ContainerSlot slot, CancellationToken ct)
    {
        var image = spec.Image!;
        var pulling = slot.Waiting?.Reason is "ErrImagePull" or "ImagePullBackOff";
        if (pulling && _ctx.Time.GetUtcNow() < slot.RestartNotBefore)
        {
            // kubelet's ImagePullBackOff: a failed pull is retried after 10 s doubling to 5 min, not on every sync.
            slot.Waiting = new ContainerStateWaiting { Reason = "ImagePullBackOff", Message = $"Back-off pulling image \"{image}\"" };
            return;
        }
        try
        {
            if (await PullImageAsync(pod, spec, slot, ct))
                Record(pod, "Normal", "Pulled", $"Successfully pulled image \"{image}\"", FieldPath(pod, spec));
        }
        catch (ImagePullException ex)
        {
            slot.Waiting = new ContainerStateWaiting { Reason = "ErrImagePull", Message = ex.Message };
            slot.RestartNotBefore = _ctx.Time.GetUtcNow() + slot.BackOff.OnCrash(TimeSpan.Zero);
            Record(pod, "Warning", "Failed", $"Failed to pull image \"{image}\": {ex.Message}", FieldPath(pod, spec));
            return;
        }
        var (security, configError) = await ContainerSecurityBuilder.BuildAsync(pod, spec, _ctx.Options, () => _ctx.Runtime.ImageUserAsync(image, ct), ct);
        if (configError is not null)
        {
            // kubelet's CreateContainerConfigError: nothing is created, and the next sync tries again.
            slot.Waiting = new ContainerStateWaiting { Reason = "CreateContainerConfigError", Message = configError };
            Record(pod, "Warning", "Failed", $"Error: {configError}", FieldPath(pod, spec));
            return;
        }
        var serviceEnv = ServiceEnv.For(ServiceEnv.Visible(_ctx.Services.List(), pod.Metadata.Namespace!, pod.Spec.EnableServiceLinks != false));
        var env = await ContainerEnv.BuildAsync(pod, spec, _ports!, _sandbox?.Ip, _ctx.Options.Address, serviceEnv, _ctx.Api, ct);
        List<string> binds;
        try
        {
            binds = await PodVolumes.PrepareAsync(pod, spec, _ctx.Options, _ctx.Api, ct);
        }
        catch (Volumes.VolumeNotReadyException ex)
        {
            // kubelet's FailedMount: the container is not created until its volumes are there; the next sync retries.
            slot.Waiting = new ContainerStateWaiting { Reason = "ContainerCreating" };
            Record(pod, "Warning", "FailedMount", $"Unable to attach or mount volumes: {ex.Message}", FieldPath(pod, spec));
            return;
        }
        var nameserver = _sandbox is null ? null : await _ctx.Dns.NameserverAsync(DnsWait, ct);
        if (await PodDns.BindAsync(pod, nameserver, _sandbox is not null, _ctx.Dns.Options, _ctx.Options, ct) is { } resolvConf) binds.Add(resolvConf);
        if (await PodHosts.BindAsync(pod, _sandbox?.Ip, _ctx.Dns.Options, _ctx.Options, ct) is { } hosts) binds.Add(hosts);
        if (ServiceAccountToken.Wanted(pod, spec))
        {
            if (await ServiceAccountToken.EnsureAsync(pod, _ctx.Options, _ctx.Api, _ctx.Time, ct) is { } token) binds.Add(token);
            else Record(pod, "Warning", "FailedMount", $"serviceaccount \"{ServiceAccountToken.AccountOf(pod)}\" not found: no token mounted at {ServiceAccountToken.MountPath}", FieldPath(pod, spec));
        }
        var labels = new Dictionary<string, string>
        {
            [ContainerLabels.Node] = _ctx.Options.NodeName,
            [ContainerLabels.PodUid] = Uid,
            [ContainerLabels.PodNamespace] = pod.Metadata.Namespace!,
            [ContainerLabels.PodName] = pod.Metadata.Name!,
            [ContainerLabels.Container] = spec.Name!,
            [ContainerLabels.RestartCount] = slot.RestartCount.ToString(CultureInfo.InvariantCulture),
            [ContainerLabels.Ports] = JsonSerializer.Serialize(_ports),
            [ContainerLabels.GracePeriod] = (pod.Spec.TerminationGracePeriodSeconds ?? 30).ToString(CultureInfo.InvariantCulture),
        };
        if (IsInit(pod, spec)) labels[ContainerLabels.InitContainer] = "true";
        if (_sandbox is not null) labels[ContainerLabels.PodIp] = _sandbox.Ip;
        var launch = new ContainerLaunch(spec.Name!, image,
            spec.Command?.Select(a => ContainerEnv.Expand(a, env)).ToList(), spec.Args?.Select(a => ContainerEnv.Expand(a, env)).ToList(),
            spec.WorkingDir, env.Select(kv => $"{kv.Key}={kv.Value}").ToList(),
            MemoryLimit(spec), ContainerCpu.Shares(spec.Resources), ContainerCpu.Quota(spec.Resources), labels, binds, security,
            _sandbox?.NetworkMode ?? "host");
        var name = $"plat_{pod.Metadata.Namespace}_{pod.Metadata.Name}_{spec.Name}_{Uid[..Math.Min(8, Uid.Length)]}_{slot.RestartCount}";
        try
        {
            using (await _ctx.Starts.EnterAsync(_ticket, ct))
                slot.ContainerId = await _ctx.Runtime.CreateAndStartAsync(launch, name, ct);
        }
        catch (Docker.DotNet.DockerApiException ex)
        {
            slot.Waiting = new ContainerStateWaiting { Reason = "CreateContainerError", Message = ex.ResponseBody?.Trim() ?? ex.Message };
            Record(pod, "Warning", "Failed", $"Error: {slot.Waiting.Message}", FieldPath(pod, spec));
            return;
        }
        slot.EverCreated = true;
        slot.Waiting = null;
        slot.Running = true;
        slot.StartedAt = _ctx.Time.GetUtcNow();
        Record(pod, "Normal", "Created", $"Created container {spec.Name}", FieldPath(pod, spec));
        Record(pod, "Normal", "Started", $"Started container {spec.Name}", FieldPath(pod, spec));
        await EnsureProbesAsync(pod, spec, slot, slot.ContainerId);
    }

    /// <summary><c>limits.memory</c> in bytes; memory requests only guide the scheduler, as in kubelet.</summary>
    private static long? MemoryLimit(Container spec) =>
        spec.Resources?.Limits?.GetValueOrDefault("memory") is { } q && Quantity.TryParse(q, out var v) ? (long)v : null;

    private static string FieldPath(Pod pod, Container spec) => IsInit(pod, spec) ? $"spec.initContainers{{{spec.Name}}}" : $"spec.containers{{{spec.Name}}}";

    private static bool IsInit(Pod pod, Container spec) => pod.Spec.InitContainers?.Any(c => c.Name == spec.Name) == true;

    private async Task EnsureProbesAsync(Pod pod, Container spec, ContainerSlot slot, string containerId)
    {
        if (slot.ProbesFor == containerId) return;
        await slot.StopProbesAsync();
        slot.ProbesFor = containerId;
        var target = new ProbeTarget(containerId, _sandbox?.Ip ?? _ctx.Options.Address, p => ResolvePort(pod, p));
        // This very container (same id) reported ready in the pod's status: an agent restarted, not the container.
        var wasReady = pod.Status?.ContainerStatuses?.Any(c => c.Name == spec.Name && c.Ready && c.ContainerID == "docker://" + containerId) == true;
        foreach (var (kind, probe) in new[] { (ProbeKind.Startup, spec.StartupProbe), (ProbeKind.Readiness, spec.ReadinessProbe), (ProbeKind.Liveness, spec.LivenessProbe) })
            if (probe is not null)
                slot.Probes.Add(new ProbeWorker(kind, probe, target, _ctx.Prober, _ctx.Time, (w, failure) => OnProbeAsync(pod, spec, w, failure), wasReady));
    }

    private Task OnProbeAsync(Pod pod, Container spec, ProbeWorker worker, string? failure)
    {
        if (failure is not null) _ctx.Events.Record(pod, "Warning", "Unhealthy", $"{worker.Kind} probe failed: {failure}", FieldPath(pod, spec));
        Wake();
        return Task.CompletedTask;
    }

    private int? ResolvePort(Pod pod, IntOrString? port)
    {
        if (port is null || _ports is null) return null;
        if (port.Value.StringValue is { } name) return _ports.TryGetValue(name, out var p) ? p : null;
        var number = port.Value.IntValue!.Value;
        var declared = pod.Spec.Containers.SelectMany(c => c.Ports ?? []).FirstOrDefault(cp => cp.Port == number);
        return declared is not null && _ports.TryGetValue(ContainerEnv.PortKey(declared), out var allocated) ? allocated : number;
    }
}
