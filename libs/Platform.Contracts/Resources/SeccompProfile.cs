namespace Platform.Contracts.Resources;

/// <summary>Which seccomp filter the containers run under.</summary>
public sealed record SeccompProfile
{
    /// <summary><c>RuntimeDefault</c> (the container runtime's profile), <c>Unconfined</c> (none) or <c>Localhost</c> (a file on the node).</summary>
    public string? Type { get; init; }
    /// <summary>For <c>Localhost</c>: the profile's path relative to the node's seccomp folder.</summary>
    public string? LocalhostProfile { get; init; }
}
