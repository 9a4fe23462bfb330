namespace Platform.Contracts.Resources;

public sealed record MetricValueStatus
{
    public string? Value { get; init; }
    public string? AverageValue { get; init; }
    public int? AverageUtilization { get; init; }
}
