namespace Platform.Gateway.Routing;

/// <summary>One immutable version of the gateway's routes, swapped atomically as a whole.</summary>
public sealed record GatewaySnapshot(long Version, IReadOnlyList<CompiledRoute> Routes, DateTimeOffset CreatedAt)
{
    private readonly Dictionary<string, CompiledRoute> _byId = Routes.ToDictionary(r => r.Id, StringComparer.Ordinal);

    public static GatewaySnapshot Empty { get; } = new(0, [], DateTimeOffset.MinValue);

    public CompiledRoute? Find(string id) => _byId.GetValueOrDefault(id);
}
