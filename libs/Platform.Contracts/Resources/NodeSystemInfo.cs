using System.Text.Json.Serialization;

namespace Platform.Contracts.Resources;

/// <summary>A node's <c>status.nodeInfo</c> (Kubernetes' NodeSystemInfo): what the node agent reports about its host.</summary>
public sealed record NodeSystemInfo
{
    [JsonPropertyName("machineID")] public string? MachineID { get; init; }
    [JsonPropertyName("systemUUID")] public string? SystemUUID { get; init; }
    [JsonPropertyName("bootID")] public string? BootID { get; init; }
    [JsonPropertyName("kernelVersion")] public string? KernelVersion { get; init; }
    [JsonPropertyName("osImage")] public string? OSImage { get; init; }
    [JsonPropertyName("containerRuntimeVersion")] public string? ContainerRuntimeVersion { get; init; }
    [JsonPropertyName("kubeletVersion")] public string? KubeletVersion { get; init; }
    [JsonPropertyName("kubeProxyVersion")] public string? KubeProxyVersion { get; init; }
    [JsonPropertyName("operatingSystem")] public string? OperatingSystem { get; init; }
    [JsonPropertyName("architecture")] public string? Architecture { get; init; }
}
