using System.Text.Json.Serialization;

namespace Platform.Contracts.Resources;

public sealed record ContainerPort
{
    /// <summary>An IANA_SVC_NAME that Services and probes can refer to.</summary>
    public string? Name { get; init; }
    /// <summary>The port the container listens on (<c>containerPort</c>).</summary>
    [JsonPropertyName("containerPort")]
    public int Port { get; init; }
    /// <summary>The port on the node to expose the container port on.</summary>
    public int? HostPort { get; init; }
    /// <summary><c>TCP</c> (default), <c>UDP</c> or <c>SCTP</c>.</summary>
    public string? Protocol { get; init; }
}
