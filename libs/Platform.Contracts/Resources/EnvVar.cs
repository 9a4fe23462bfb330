namespace Platform.Contracts.Resources;

/// <summary>An environment variable: a literal <see cref="Value"/> or a key of a ConfigMap or Secret.</summary>
public sealed record EnvVar
{
    public string? Name { get; init; }
    public string? Value { get; init; }
    public EnvVarSource? ValueFrom { get; init; }
}
