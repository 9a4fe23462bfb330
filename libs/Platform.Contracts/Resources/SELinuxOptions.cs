namespace Platform.Contracts.Resources;

/// <summary>An SELinux context; the runtime picks one when unset.</summary>
public sealed record SELinuxOptions
{
    /// <summary>The SELinux user; Pod Security baseline forbids setting it.</summary>
    public string? User { get; init; }
    /// <summary>The SELinux role; Pod Security baseline forbids setting it.</summary>
    public string? Role { get; init; }
    /// <summary>The SELinux type; Pod Security baseline allows only the container types (<c>container_t</c> ...).</summary>
    public string? Type { get; init; }
    /// <summary>The SELinux level (MCS label).</summary>
    public string? Level { get; init; }
}
