namespace Platform.Contracts.Resources;

/// <summary>Common shape of every stored object: <c>apiVersion</c>, <c>kind</c> and <c>metadata</c>.</summary>
public abstract record Resource
{
    public string? ApiVersion { get; init; }
    public string? Kind { get; init; }
    public ObjectMeta Metadata { get; init; } = new();
}
