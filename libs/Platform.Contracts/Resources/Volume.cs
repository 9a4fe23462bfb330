namespace Platform.Contracts.Resources;

/// <summary>A pod volume: exactly one of <see cref="EmptyDir"/>, <see cref="HostPath"/>, <see cref="ConfigMap"/> or <see cref="Secret"/>.</summary>
public sealed record Volume
{
    public string? Name { get; init; }
    public EmptyDirVolumeSource? EmptyDir { get; init; }
    public HostPathVolumeSource? HostPath { get; init; }
    public ConfigMapVolumeSource? ConfigMap { get; init; }
    public SecretVolumeSource? Secret { get; init; }
}
