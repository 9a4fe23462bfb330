namespace Platform.Contracts.Resources;

/// <summary>One of a pod's addresses (<c>status.podIPs[*]</c>).</summary>
public sealed record PodIP
{
    public string? Ip { get; init; }
}
