namespace Platform.Contracts.Resources;

public sealed record ServiceStatus
{
    /// <summary>Number of ready pods registered in discovery by the endpoints controller.</summary>
    public int? ReadyEndpoints { get; init; }
}
