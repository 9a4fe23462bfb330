namespace Platform.Gateway.Discovery;

/// <summary>Services and EndpointSlices the gateway resolves namespaced <c>lb://</c> names through; bound from <c>Gateway:Endpoints</c>.</summary>
public sealed class EndpointOptions
{
    public const string Section = "Gateway:Endpoints";

    /// <summary>
    /// <c>Gateway:Endpoints:Enabled</c>: resolve a Route's or Ingress's <c>lb://NAME</c> through the EndpointSlices of
    /// Service NAME (needs <c>Gateway:Routes:ApiServerUrl</c>); off, or when the Service does not exist, the registry.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary><c>Gateway:Endpoints:ServicesTopic</c>: where Service changes arrive (default: the routes topic's prefix + <c>services</c>).</summary>
    public string ServicesTopic { get; set; } = Platform.Contracts.Events.Topics.Services;

    /// <summary><c>Gateway:Endpoints:EndpointSlicesTopic</c>: where EndpointSlice changes arrive (default: the routes topic's prefix + <c>endpointslices</c>).</summary>
    public string EndpointSlicesTopic { get; set; } = Platform.Contracts.Events.Topics.EndpointSlices;
}
