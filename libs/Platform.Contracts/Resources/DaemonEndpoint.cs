using System.Text.Json.Serialization;

namespace Platform.Contracts.Resources;

/// <summary>One daemon's port.</summary>
public sealed record DaemonEndpoint
{
    /// <summary>Serialized as <c>Port</c>, capitalized, exactly as Kubernetes' <c>DaemonEndpoint</c> is.</summary>
    [JsonPropertyName("Port")]
    public int Port { get; init; }
}
