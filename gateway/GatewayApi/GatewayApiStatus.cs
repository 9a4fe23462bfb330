using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Platform.ApiServer.Client;
using Platform.Contracts.Resources;
using Platform.Contracts.Resources.GatewayApi;
using GatewayObject = Platform.Contracts.Resources.GatewayApi.Gateway;

namespace Platform.Gateway.GatewayApi;

/// <summary>
/// Gateway API status written through the status subresources, as its conformance tests read it: GatewayClass
/// <c>Accepted</c>; Gateway <c>Accepted</c>/<c>Programmed</c>, its address and per listener <c>Accepted</c>,
/// <c>Programmed</c>, <c>ResolvedRefs</c> (and <c>Conflicted</c> when it is) with <c>attachedRoutes</c>; HTTPRoute <c>status.parents[]</c> with
/// <c>Accepted</c> and <c>ResolvedRefs</c>. A condition keeps its <c>lastTransitionTime</c> while its status holds, and
/// nothing is written when nothing changed. Other controllers' route parents are kept.
/// </summary>
internal sealed class GatewayApiStatus(ApiClient api, GatewayApiOptions options, TimeProvider time)
{
    public async Task WriteClassAsync(GatewayClass gc, CancellationToken ct)
    {
        var conditions = Conditions(gc.Status?.Conditions, gc.Metadata.Generation, (GatewayApiNames.Accepted, true, "Accepted", "served by the platform's gateway"));
        if (Same(gc.Status?.Conditions, conditions)) return;
        await api.PatchStatusAsync(ResourceKinds.GatewayClass, gc, new JsonObject { ["conditions"] = conditions }, ct);
    }

    /// <param name="refused">Per listener, why one of its certificateRefs cannot be served (<c>ResolvedRefs=False</c>, not Programmed).</param>
    /// <param name="rejected">
    /// Per listener, why it is not accepted: <c>PortUnavailable</c>, or <c>ProtocolConflict</c>/<c>HostnameConflict</c> (also
    /// <c>Conflicted=True</c>). The Gateway is then <c>Accepted</c> with reason <c>ListenersNotValid</c> (False when no listener is).
    /// </param>
    public async Task WriteGatewayAsync(GatewayObject gw, Dictionary<string, int> attached, Dictionary<string, (string Reason, string Message)> refused,
        IReadOnlyDictionary<string, (string Reason, string Message)> rejected, CancellationToken ct)
    {
        var gen = gw.Metadata.Generation;
        var listeners = new JsonArray();
        var changed = false;
        var notAccepted = new List<string>();
        foreach (var l in gw.Spec.Listeners ?? [])
        {
            var supported = l.Protocol is "HTTP" or "HTTPS";
            var kindsOk = l.AllowedRoutes?.Kinds is not { Count: > 0 } kinds
                || kinds.Any(k => (k.Group ?? GatewayApiNames.Group) == GatewayApiNames.Group && k.Kind == GatewayApiNames.HttpRouteKind);
            var old = gw.Status?.Listeners?.FirstOrDefault(s => s.Name == l.Name);
            var (resolvedReason, resolvedMessage) = !kindsOk ? (GatewayApiNames.InvalidRouteKinds, "only HTTPRoutes are served")
                : refused.TryGetValue(l.Name ?? "", out var why) ? why : ("ResolvedRefs", "");
            var resolved = resolvedReason == "ResolvedRefs";
            var rejection = !supported ? (GatewayApiNames.UnsupportedProtocol, $"protocol {l.Protocol} is not served")
                : rejected.TryGetValue(l.Name ?? "", out var r) ? r : ((string Reason, string Message)?)null;
            var accepted = rejection is null;
            if (rejection is { } no) notAccepted.Add($"\"{l.Name}\" ({no.Reason})");
            List<(string, bool, string, string)> wanted =
            [
                (GatewayApiNames.Accepted, accepted, rejection?.Reason ?? "Accepted", rejection?.Message ?? ""),
                (GatewayApiNames.Programmed, accepted && resolved, accepted && resolved ? "Programmed" : "Invalid", ""),
                (GatewayApiNames.ResolvedRefs, resolved, resolvedReason, resolvedMessage),
            ];
            if (rejection is { Reason: GatewayApiNames.ProtocolConflict or GatewayApiNames.HostnameConflict } conflict)
                wanted.Add((GatewayApiNames.Conflicted, true, conflict.Reason, conflict.Message));
            var conditions = Conditions(old?.Conditions, gen, [.. wanted]);
            var count = attached.GetValueOrDefault(l.Name ?? "");
            changed |= old is null || old.AttachedRoutes != count || !Same(old.Conditions, conditions);
            listeners.Add(new JsonObject
            {
                ["name"] = l.Name, ["attachedRoutes"] = count, ["conditions"] = conditions,
                ["supportedKinds"] = supported && kindsOk ? new JsonArray(new JsonObject { ["group"] = GatewayApiNames.Group, ["kind"] = GatewayApiNames.HttpRouteKind }) : new JsonArray(),
            });
        }
        // Gateway API: listeners that cannot be configured make the Gateway ListenersNotValid; with none left it is not accepted.
        var anyAccepted = notAccepted.Count < listeners.Count;
        var message = notAccepted.Count == 0 ? "" : "listeners not accepted: " + string.Join(", ", notAccepted);
        var gatewayConditions = Conditions(gw.Status?.Conditions, gen,
            (GatewayApiNames.Accepted, anyAccepted, notAccepted.Count == 0 ? "Accepted" : GatewayApiNames.ListenersNotValid, message),
            (GatewayApiNames.Programmed, anyAccepted, anyAccepted ? "Programmed" : "Invalid", message));
        changed |= !Same(gw.Status?.Conditions, gatewayConditions);
        changed |= (gw.Status?.Listeners?.Count ?? 0) != listeners.Count || gw.Status?.Addresses is not [{ } a] || a.Value != options.StatusAddress;
        if (!changed) return;
        var type = IPAddress.TryParse(options.StatusAddress, out _) ? "IPAddress" : "Hostname";
        await api.PatchStatusAsync(ResourceKinds.Gateway, gw, new JsonObject
        {
            ["addresses"] = new JsonArray(new JsonObject { ["type"] = type, ["value"] = options.StatusAddress }),
            ["conditions"] = gatewayConditions,
            ["listeners"] = listeners,
        }, ct);
    }

    public async Task WriteRouteAsync(HttpRoute route, List<RouteAttachment.Parent> parents, List<(string Reason, string Message)> refusals,
        List<string> problems, List<string> invalid, CancellationToken ct)
    {
        var gen = route.Metadata.Generation;
        var entries = new JsonArray();
        var changed = false;
        var resolved = refusals.Count == 0;
        var resolvedMessage = resolved ? "" : string.Join("; ", refusals.Select(r => r.Message).Distinct(StringComparer.Ordinal));
        foreach (var parent in parents)
        {
            var old = route.Status?.Parents?.FirstOrDefault(s => s.ControllerName == options.ControllerName && SameRef(s.ParentRef, parent.Ref));
            var acceptedMessage = parent.Reason is null && problems.Count > 0 ? "Accepted; not served: " + string.Join("; ", problems) : parent.Message;
            // A field admission would have refused (an invalid regex or duration) leaves the route not Accepted, as Gateway API's UnsupportedValue.
            var (reason, message) = parent.Reason is null && invalid.Count > 0
                ? (GatewayApiNames.UnsupportedValue, string.Join("; ", invalid)) : (parent.Reason, acceptedMessage);
            var conditions = Conditions(old?.Conditions, gen,
                (GatewayApiNames.Accepted, reason is null, reason ?? "Accepted", message),
                (GatewayApiNames.ResolvedRefs, resolved, resolved ? "ResolvedRefs" : refusals[0].Reason, resolvedMessage));
            changed |= old is null || !Same(old.Conditions, conditions);
            entries.Add(new JsonObject { ["parentRef"] = RefJson(parent.Ref), ["controllerName"] = options.ControllerName, ["conditions"] = conditions });
        }
        var others = (route.Status?.Parents ?? []).Where(s => s.ControllerName != options.ControllerName).ToList();
        changed |= (route.Status?.Parents?.Count ?? 0) != others.Count + entries.Count;
        if (!changed) return;
        foreach (var other in others)
            entries.Add(JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(other, System.Text.Json.JsonSerializerOptions.Web)));
        await api.PatchStatusAsync(ResourceKinds.HttpRoute, route, new JsonObject { ["parents"] = entries }, ct);
    }

    private static bool SameRef(ParentReference? a, ParentReference b) =>
        a is not null && a.Name == b.Name && a.Namespace == b.Namespace && a.SectionName == b.SectionName && a.Port == b.Port
        && (a.Group ?? GatewayApiNames.Group) == (b.Group ?? GatewayApiNames.Group) && (a.Kind ?? GatewayApiNames.GatewayKind) == (b.Kind ?? GatewayApiNames.GatewayKind);

    private static JsonObject RefJson(ParentReference p)
    {
        var o = new JsonObject { ["group"] = p.Group ?? GatewayApiNames.Group, ["kind"] = p.Kind ?? GatewayApiNames.GatewayKind, ["name"] = p.Name };
        if (p.Namespace is not null) o["namespace"] = p.Namespace;
        if (p.SectionName is not null) o["sectionName"] = p.SectionName;
        if (p.Port is not null) o["port"] = p.Port;
        return o;
    }

    /// <summary>The conditions as JSON, each keeping the old <c>lastTransitionTime</c> while its status is unchanged.</summary>
    private JsonArray Conditions(List<Condition>? old, long? generation, params (string Type, bool Status, string Reason, string Message)[] wanted)
    {
        var result = new JsonArray();
        foreach (var (type, status, reason, message) in wanted)
        {
            var value = status ? "True" : "False";
            var before = old?.FirstOrDefault(c => c.Type == type);
            var since = before?.Status == value && before.LastTransitionTime is { } t ? t : time.GetUtcNow();
            result.Add(new JsonObject
            {
                ["type"] = type, ["status"] = value, ["reason"] = reason, ["message"] = message,
                ["lastTransitionTime"] = since.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                ["observedGeneration"] = generation ?? 0,
            });
        }
        return result;
    }

    private static bool Same(List<Condition>? old, JsonArray wanted) =>
        old is not null && old.Count == wanted.Count && wanted.All(w => old.Any(c => c.Type == (string?)w!["type"] && c.Status == (string?)w["status"]
            && c.Reason == (string?)w["reason"] && (c.Message ?? "") == (string?)w["message"] && (c.ObservedGeneration ?? 0) == (long)w["observedGeneration"]!));
}
