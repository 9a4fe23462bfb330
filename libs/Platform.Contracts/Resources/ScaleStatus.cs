namespace Platform.Contracts.Resources;

public sealed record ScaleStatus
{
    public int Replicas { get; init; }
    /// <summary>The label selector in string form (<c>app=web,tier in (front)</c>).</summary>
    public string? Selector { get; init; }
}
