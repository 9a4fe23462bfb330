using Platform.Contracts.Resources;
using Platform.Contracts.Resources.GatewayApi;
using Platform.Contracts.Validation;
using Platform.Gateway.Configuration;
using LocalObjectReference = Platform.Contracts.Resources.GatewayApi.LocalObjectReference;

namespace Platform.Gateway.GatewayApi;

/// <summary>
/// Resolves an HTTPRoute filter's <c>extensionRef</c> (Gateway API's LocalObjectReference: the route's namespace) to
/// the filters of a <see cref="RouteFilter"/>, checked as the apiserver admits them (<see cref="ClusterValidator.ValidateRouteFilter"/>).
/// </summary>
internal static class RouteFilterRefs
{
    /// <summary>The filters, or why there are none: a Gateway API reason for <c>ResolvedRefs</c>, or a field admission would have refused.</summary>
    public sealed record Outcome(IReadOnlyList<ComponentDefinition>? Filters, string? RefusedReason, string Message);

    /// <param name="where">The filter's field path (<c>spec.rules[0].filters[1]</c>), named in the message.</param>
    public static Outcome Resolve(string ns, LocalObjectReference reference, string where, Func<string, string, RouteFilter?> find)
    {
        var kind = ResourceKinds.RouteFilter;
        if (reference.Group != kind.Group || reference.Kind != kind.Kind)
            return new(null, GatewayApiNames.InvalidKind,
                $"{where}: extensionRef {reference.Group}/{reference.Kind} \"{reference.Name}\": only {kind.Group}/{kind.Kind} is served");
        if (find(ns, reference.Name ?? "") is not { } rf)
            return new(null, GatewayApiNames.BackendNotFound, $"{where}: extensionRef RouteFilter \"{ns}/{reference.Name}\" not found");
        // The apiserver's own admission check: a RouteFilter stored before it (or written around it) is reported, not guessed at.
        var errors = new FieldErrors();
        ClusterValidator.ValidateRouteFilter(rf, errors);
        if (errors.Count > 0) return new(null, null, $"{where}: RouteFilter \"{ns}/{reference.Name}\" {string.Join("; ", errors)}");
        return new([.. rf.Spec!.Filters!.Select(RouteComponents.FromJson)], null, "");
    }

    /// <summary>Whether <paramref name="route"/> names the RouteFilter <paramref name="name"/> in a rule's or a backendRef's filters.</summary>
    public static bool Names(HttpRoute route, string name) =>
        (route.Spec.Rules ?? []).SelectMany(r => (r.Filters ?? []).Concat((r.BackendRefs ?? []).SelectMany(b => b.Filters ?? [])))
            .Any(f => f.Type == "ExtensionRef" && f.ExtensionRef?.Name == name);
}
