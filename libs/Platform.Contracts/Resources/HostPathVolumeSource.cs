namespace Platform.Contracts.Resources;

/// <summary>A file or directory of the node mounted into the pod.</summary>
public sealed record HostPathVolumeSource
{
    /// <summary>The absolute path on the node; no <c>..</c> segment.</summary>
    public string? Path { get; init; }
    /// <summary><c>""</c>, <c>DirectoryOrCreate</c>, <c>Directory</c>, <c>FileOrCreate</c>, <c>File</c> ...</summary>
    public string? Type { get; init; }
}
