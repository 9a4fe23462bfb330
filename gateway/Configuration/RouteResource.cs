using Platform.Contracts.Routing;

namespace Platform.Gateway.Configuration;

/// <summary>A Route resource as the apiserver publishes it (<c>gateway.platform.io/v1</c>, kind <c>Route</c>).</summary>
internal sealed record RouteResource
{
    public string? ApiVersion { get; init; }
    public string? Kind { get; init; }
    public ResourceMetadata? Metadata { get; init; }
    public RouteSpec? Spec { get; init; }

    public sealed record ResourceMetadata
    {
        public string? Name { get; init; }
        public string? Namespace { get; init; }
        public string? ResourceVersion { get; init; }
    }
}
