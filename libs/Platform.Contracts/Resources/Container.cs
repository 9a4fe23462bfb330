namespace Platform.Contracts.Resources;

public sealed record Container
{
    /// <summary>Unique within the pod (a DNS-1123 label). Cannot be changed.</summary>
    public string? Name { get; init; }
    /// <summary>The image to run, such as <c>busybox:latest</c>.</summary>
    public string? Image { get; init; }
    /// <summary><c>Always</c>, <c>IfNotPresent</c> or <c>Never</c>; defaults to Always for <c>:latest</c>, IfNotPresent otherwise.</summary>
    public string? ImagePullPolicy { get; init; }
    /// <summary>The entrypoint, replacing the image's ENTRYPOINT; <c>$(VAR)</c> expands from the container's environment.</summary>
    public List<string>? Command { get; init; }
    /// <summary>Arguments to the entrypoint, replacing the image's CMD.</summary>
    public List<string>? Args { get; init; }
    /// <summary>The working directory; the image's default when empty.</summary>
    public string? WorkingDir { get; init; }
    /// <summary>Environment variables, literal, from a ConfigMap or Secret key, or from a field of the pod (downward API).</summary>
    public List<EnvVar>? Env { get; init; }
    /// <summary>Every key of ConfigMaps and Secrets as variables, before (and overridden by) <see cref="Env"/>.</summary>
    public List<EnvFromSource>? EnvFrom { get; init; }
    /// <summary>The ports the container listens on; informational, and what Services and probes name.</summary>
    public List<ContainerPort>? Ports { get; init; }
    /// <summary>The pod volumes this container mounts, and where.</summary>
    public List<VolumeMount>? VolumeMounts { get; init; }
    /// <summary>CPU and memory requests (reserved by the scheduler) and limits (enforced by the runtime).</summary>
    public ResourceRequirements? Resources { get; init; }
    /// <summary>Restarts the container when it fails.</summary>
    public Probe? LivenessProbe { get; init; }
    /// <summary>Removes the pod from its Services' endpoints while it fails.</summary>
    public Probe? ReadinessProbe { get; init; }
    /// <summary>Holds back the other probes until it succeeds once.</summary>
    public Probe? StartupProbe { get; init; }
    /// <summary>The container's security settings (user, capabilities, privileged ...); they override the pod's.</summary>
    public SecurityContext? SecurityContext { get; init; }
}
