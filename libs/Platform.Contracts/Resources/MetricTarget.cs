namespace Platform.Contracts.Resources;

/// <summary>The target of a metric: <c>Utilization</c> (percent of the pods' requests), <c>AverageValue</c> or <c>Value</c>.</summary>
public sealed record MetricTarget
{
    public string? Type { get; init; }
    public string? Value { get; init; }
    public string? AverageValue { get; init; }
    public int? AverageUtilization { get; init; }
}
