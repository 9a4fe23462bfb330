namespace Platform.Contracts.Resources;

/// <summary><see cref="Type"/>: <c>RollingUpdate</c> (default) or <c>Recreate</c>.</summary>
public sealed record DeploymentStrategy
{
    /// <summary><c>RollingUpdate</c> (default) or <c>Recreate</c>.</summary>
    public string? Type { get; init; }
    /// <summary>The rolling update's bounds, when type is RollingUpdate.</summary>
    public RollingUpdateDeployment? RollingUpdate { get; init; }
}
