namespace Platform.Contracts.Resources;

public sealed record ContainerStateTerminated
{
    public int ExitCode { get; init; }
    public string? Reason { get; init; }
    public string? Message { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
}
