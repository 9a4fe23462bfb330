using System.Text.Json;
using Platform.Contracts.Registry;
using Platform.Contracts.Resources;
using Platform.Contracts.Routing;

namespace Platform.Contracts.Validation;

/// <summary>Nodes, Events, Routes and RouteFilters.</summary>
public static class ClusterValidator
{
    public static void ValidateNode(Node n, FieldErrors errors)
    {
        for (var i = 0; i < (n.Spec?.Taints?.Count ?? 0); i++)
        {
            var t = n.Spec!.Taints![i];
            var p = $"spec.taints[{i}]";
            if (t is null) { errors.Required(p); continue; }
            if (!LabelNames.IsValidKey(t.Key)) errors.Invalid(p + ".key", "must be a valid label key");
            if (t.Effect is not ("NoSchedule" or "PreferNoSchedule" or "NoExecute")) errors.Invalid(p + ".effect", $"'{t.Effect}' is not one of NoSchedule, PreferNoSchedule, NoExecute");
        }
        NodeCidrValidator.Validate(n.Spec, errors);
        MetadataValidator.ValidateQuantities(n.Status?.Capacity, "status.capacity", errors);
        MetadataValidator.ValidateQuantities(n.Status?.Allocatable, "status.allocatable", errors);
    }

    public static void ValidateEvent(Event e, FieldErrors errors)
    {
        if (string.IsNullOrEmpty(e.InvolvedObject?.Kind)) errors.Required("involvedObject.kind");
        if (string.IsNullOrEmpty(e.InvolvedObject?.Name)) errors.Required("involvedObject.name");
        if (string.IsNullOrEmpty(e.Reason)) errors.Required("reason");
        if (e.Type is { } t && t is not ("Normal" or "Warning")) errors.Invalid("type", $"'{t}' is not one of Normal, Warning");
        if (e.Message is { Length: > 4096 }) errors.Invalid("message", "must be at most 4096 characters");
        if (e.Count < 0) errors.Invalid("count", "must be >= 0");
    }

    public static void ValidateRoute(Platform.Contracts.Resources.Route r, FieldErrors errors)
    {
        if (r.Spec is null) { errors.Required("spec"); return; }
        if (string.IsNullOrWhiteSpace(r.Spec.Uri)) errors.Required("spec.uri");
        else ValidateRouteUri(r.Spec.Uri, r.Metadata.Namespace ?? SystemNamespaces.Default, errors);
        if (r.Spec.Order is < RouteSpec.MinOrder or > RouteSpec.MaxOrder)
            errors.Invalid("spec.order", $"{r.Spec.Order}: must be between {RouteSpec.MinOrder} and {RouteSpec.MaxOrder} (the gateway's own routes of order <= {RouteSpec.MinOrder} come first)");
        ValidateComponents(r.Spec.Predicates, "spec.predicates", isFilter: false, errors);
        ValidateComponents(r.Spec.Filters, "spec.filters", isFilter: true, errors);
    }

    /// <summary>A RouteFilter's filters, each checked as a Route's <c>spec.filters</c> are.</summary>
    public static void ValidateRouteFilter(RouteFilter rf, FieldErrors errors)
    {
        if (rf.Spec?.Filters is not { Count: > 0 } filters) { errors.Required("spec.filters"); return; }
        ValidateComponents(filters, "spec.filters", isFilter: true, errors);
    }

    /// <summary>
    /// Only what the gateway serves: http, https, lb and no://op (its ParseUpstream refuses the rest, so a ws:// Route
    /// would be stored here and then never served); an lb:// host names a Service, <c>NAME</c> or <c>NAME.NAMESPACE</c>.
    /// </summary>
    private static void ValidateRouteUri(string uri, string ns, FieldErrors errors)
    {
        if (!Uri.TryCreate(uri.Trim(), UriKind.Absolute, out var u) || u.Scheme is not ("http" or "https" or "lb" or "no"))
            errors.Invalid("spec.uri", $"'{uri}': must be an absolute http://, https://, lb:// or no://op URI (the gateway serves no other scheme)");
        else if (u.Scheme is ("http" or "https") && u.Host.Length == 0)
            errors.Invalid("spec.uri", $"'{uri}': must name a host");
        else if (u.Scheme == "lb" && ServiceApplication.Resolve(u.Host, ns) is null)
            errors.Invalid("spec.uri", $"'{uri}': lb:// names a Service, as lb://NAME (this namespace) or lb://NAME.NAMESPACE, each a DNS label");
    }

    /// <summary>
    /// Each predicate and filter against the gateway's own schemas (<see cref="ComponentSchemas"/>): an unknown name,
    /// an unknown or missing argument, or one that does not parse is refused here, as the gateway would refuse it.
    /// </summary>
    private static void ValidateComponents(IReadOnlyList<JsonElement>? list, string path, bool isFilter, FieldErrors errors)
    {
        for (var i = 0; i < (list?.Count ?? 0); i++)
        {
            string? name = null;
            try
            {
                var definition = RouteComponents.FromJson(list![i]);
                name = definition.Name;
                ComponentSchemas.Validate(definition, isFilter);
            }
            catch (GatewayArgumentException ex)
            {
                var field = name is null ? $"{path}[{i}]" : ex.Argument == "name" ? $"{path}[{i}].name" : $"{path}[{i}].args.{ex.Argument}";
                var what = name is null ? "" : $"{(isFilter ? "filter" : "predicate")} {name}: ";
                errors.Invalid(field, what + (ex.Argument == "name" ? ex.Message : $"argument '{ex.Argument}': {ex.Message}"));
            }
        }
    }
}
