namespace Platform.Contracts.Resources;

/// <summary>Which AppArmor profile the containers run under.</summary>
public sealed record AppArmorProfile
{
    /// <summary><c>RuntimeDefault</c> (the container runtime's profile), <c>Unconfined</c> or <c>Localhost</c> (a profile loaded on the node).</summary>
    public string? Type { get; init; }
    /// <summary>For <c>Localhost</c>: the name of the loaded profile.</summary>
    public string? LocalhostProfile { get; init; }
}
