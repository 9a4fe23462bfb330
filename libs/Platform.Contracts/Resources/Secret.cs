namespace Platform.Contracts.Resources;

/// <summary>
/// <c>apiVersion: v1</c>, <c>kind: Secret</c>. <see cref="Data"/> values are base64; <see cref="StringData"/> is a
/// write-only convenience merged into <see cref="Data"/>. The apiserver encrypts data at rest and never puts it on Kafka.
/// </summary>
public sealed record Secret : Resource
{
    public string? Type { get; init; }
    public Dictionary<string, string>? Data { get; init; }
    public Dictionary<string, string>? StringData { get; init; }
    public bool? Immutable { get; init; }
}
