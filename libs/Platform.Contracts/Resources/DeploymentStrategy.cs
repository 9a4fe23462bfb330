namespace Platform.Contracts.Resources;

/// <summary><see cref="Type"/>: <c>RollingUpdate</c> (default) or <c>Recreate</c>.</summary>
public sealed record DeploymentStrategy
{
    public string? Type { get; init; }
    public RollingUpdateDeployment? RollingUpdate { get; init; }
}
