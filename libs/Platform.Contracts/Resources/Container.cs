namespace Platform.Contracts.Resources;

public sealed record Container
{
    public string? Name { get; init; }
    public string? Image { get; init; }
    public string? ImagePullPolicy { get; init; }
    public List<string>? Command { get; init; }
    public List<string>? Args { get; init; }
    public string? WorkingDir { get; init; }
    public List<EnvVar>? Env { get; init; }
    public List<ContainerPort>? Ports { get; init; }
    public List<VolumeMount>? VolumeMounts { get; init; }
    public ResourceRequirements? Resources { get; init; }
    public Probe? LivenessProbe { get; init; }
    public Probe? ReadinessProbe { get; init; }
    public Probe? StartupProbe { get; init; }
}
