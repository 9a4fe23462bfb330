namespace Platform.Contracts.Resources;

/// <summary>Matches when a terminated container's exit code is (<c>In</c>) or is not (<c>NotIn</c>) one of <see cref="Values"/>.</summary>
public sealed record PodFailurePolicyOnExitCodesRequirement
{
    /// <summary>Only this container's exit code; none: any container's.</summary>
    public string? ContainerName { get; init; }
    /// <summary><c>In</c> or <c>NotIn</c>.</summary>
    public string? Operator { get; init; }
    /// <summary>Up to 255 distinct exit codes, sorted; 0 only with NotIn.</summary>
    public List<int> Values { get; init; } = [];
}
