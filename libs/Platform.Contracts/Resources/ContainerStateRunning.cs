namespace Platform.Contracts.Resources;

public sealed record ContainerStateRunning
{
    public DateTimeOffset? StartedAt { get; init; }
}
