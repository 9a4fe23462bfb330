using Platform.Contracts.Resources;
using Platform.Contracts.Routing;

namespace Platform.Contracts.Registry;

/// <summary>
/// The discovery application a Service's ready pods are registered under: <c>NAME.NAMESPACE</c>, upper-cased as Eureka
/// stores every application name (Service <c>web</c> in <c>team-a</c> is <c>WEB.TEAM-A</c>), so equal Service names in
/// two namespaces are two applications. Service and namespace names are DNS labels, so the one dot is unambiguous.
/// The endpoints controller registers under it; a gateway Route in a namespace resolves <c>lb://</c> names to it.
/// </summary>
public sealed record ServiceApplication(string Service, string Namespace)
{
    /// <summary>Instance metadata: the namespace of the Service the instance was registered for.</summary>
    public const string NamespaceMetadata = "platform.namespace";

    /// <summary>Instance metadata: the Service's name.</summary>
    public const string ServiceMetadata = "platform.service";

    /// <summary>Instance metadata: the pod behind the instance.</summary>
    public const string PodMetadata = "platform.pod";

    /// <summary>
    /// Instance metadata: the Service's <see cref="RouteGrants.AllowRoutesFromAnnotation"/> as written (namespaces
    /// whose Routes may send traffic to it), so the gateway sees the grant with the instances it applies to.
    /// </summary>
    public const string AllowRoutesFromMetadata = "platform.allow-routes-from";

    /// <summary>The Eureka application name, <c>NAME.NAMESPACE</c> upper-cased.</summary>
    public string Application => $"{Service}.{Namespace}".ToUpperInvariant();

    public override string ToString() => $"{Service}.{Namespace}";

    /// <summary>
    /// What the host of an <c>lb://</c> URI names from a Route in <paramref name="routeNamespace"/>: <c>NAME</c> is the
    /// Service of that namespace, <c>NAME.NAMESPACE</c> the Service of another (or the same) namespace, compared
    /// without case. Null when it is neither (more dots, not DNS labels): no Service can have such a name.
    /// </summary>
    public static ServiceApplication? Resolve(string host, string routeNamespace)
    {
        var parts = host.ToLowerInvariant().Split('.');
        return parts switch
        {
            [var name] when LabelNames.IsDns1123Label(name) => new ServiceApplication(name, routeNamespace),
            [var name, var ns] when LabelNames.IsDns1123Label(name) && LabelNames.IsDns1123Label(ns) => new ServiceApplication(name, ns),
            _ => null,
        };
    }
}
