using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Platform.Contracts.Routing;
using Platform.EventBus.CloudEvents;
using Platform.EventBus.Consuming;
using Platform.Gateway.Routing;

namespace Platform.Gateway.Configuration;

/// <summary>
/// Follows Route resources on <c>platform.routes</c> (whole object, key <c>namespace/name</c>). Each gateway reads the
/// topic from the start in a group of its own, so a restart rebuilds every route; an event older than the version
/// already applied (by <c>metadata.resourceVersion</c>) is ignored.
/// </summary>
internal sealed partial class RouteResourceHandler(GatewayRuntime runtime, ILogger<RouteResourceHandler> logger) : IEventHandler
{
    private readonly Dictionary<string, long> _versions = new(StringComparer.Ordinal);

    public Task HandleAsync(ConsumedEvent consumed, CancellationToken cancellationToken)
    {
        var e = consumed.Event;
        var resource = e.DataAs<RouteResource>() ?? throw new FormatException($"event {e.Id}: empty Route resource");
        Apply(resource, deleted: e.Type.EndsWith(".deleted", StringComparison.Ordinal), e.Id);
        return Task.CompletedTask;
    }

    /// <summary>Applies one Route as listed or as carried by an event; an older resourceVersion than the one applied is ignored.</summary>
    public void Apply(RouteResource resource, bool deleted, string origin)
    {
        var ns = resource.Metadata?.Namespace ?? "default";
        var name = resource.Metadata?.Name ?? throw new FormatException($"{origin}: Route without metadata.name");
        var key = $"{ns}/{name}";
        var version = long.TryParse(resource.Metadata.ResourceVersion, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : 0;
        lock (_versions)
        {
            if (_versions.TryGetValue(key, out var seen) && version != 0 && version < seen) return;
            _versions[key] = version;
        }
        var id = resource.Spec?.Id ?? key;
        if (deleted)
        {
            runtime.Remove(id);
            return;
        }
        var spec = resource.Spec ?? throw new FormatException($"Route {key}: no spec");
        try
        {
            runtime.Upsert(ToDefinition(id, spec, "resource"));
        }
        catch (RouteDefinitionException ex)
        {
            // The apiserver validates on apply; a route that still fails here is refused and its previous version kept.
            LogRejected(logger, key, ex.Message);
        }
    }

    public static RouteDefinition ToDefinition(string id, RouteSpec spec, string source) => new()
    {
        Id = id,
        Uri = spec.Uri,
        Order = spec.Order,
        Source = source,
        Predicates = spec.Predicates.Select(p => FromJson(id, p)).ToList(),
        Filters = spec.Filters.Select(f => FromJson(id, f)).ToList(),
        Metadata = spec.Metadata?.ToDictionary(m => m.Key, m => m.Value.ValueKind == JsonValueKind.String ? m.Value.GetString()! : m.Value.GetRawText())
            ?? new Dictionary<string, string>(),
    };

    private static ComponentDefinition FromJson(string routeId, JsonElement e)
    {
        if (e.ValueKind == JsonValueKind.String) return ComponentDefinition.ParseShortcut(e.GetString()!);
        if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty("name", out var n) || n.ValueKind != JsonValueKind.String)
            throw RouteDefinitionException.For(routeId, "spec", "name", "each predicate and filter is 'Name=args' or {name, args}");
        var args = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (e.TryGetProperty("args", out var a) && a.ValueKind == JsonValueKind.Object) Flatten(a, "", args);
        return new ComponentDefinition(n.GetString()!, args, []);
    }

    private static void Flatten(JsonElement e, string prefix, Dictionary<string, string> into)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var p in e.EnumerateObject()) Flatten(p.Value, prefix.Length == 0 ? p.Name : $"{prefix}.{p.Name}", into);
                break;
            case JsonValueKind.Array:
                into[prefix] = string.Join(",", e.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.String ? x.GetString() : x.GetRawText()));
                break;
            case JsonValueKind.String:
                into[prefix] = e.GetString()!;
                break;
            default:
                into[prefix] = e.GetRawText();
                break;
        }
    }

    [LoggerMessage(EventId = 9004, Level = LogLevel.Error, Message = "Route {Key} rejected, previous version kept: {Reason}")]
    private static partial void LogRejected(ILogger logger, string key, string reason);
}
