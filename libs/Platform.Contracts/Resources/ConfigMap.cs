namespace Platform.Contracts.Resources;

/// <summary><c>apiVersion: v1</c>, <c>kind: ConfigMap</c>: non-secret key/value configuration.</summary>
public sealed record ConfigMap : Resource
{
    public Dictionary<string, string>? Data { get; init; }
    /// <summary>When true, <c>data</c> cannot change after creation.</summary>
    public bool? Immutable { get; init; }
}
