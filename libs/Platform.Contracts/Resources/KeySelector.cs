namespace Platform.Contracts.Resources;

/// <summary>A key of a ConfigMap or Secret in the pod's namespace.</summary>
public sealed record KeySelector
{
    public string? Name { get; init; }
    public string? Key { get; init; }
    public bool? Optional { get; init; }
}
