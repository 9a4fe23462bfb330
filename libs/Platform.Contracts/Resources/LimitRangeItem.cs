namespace Platform.Contracts.Resources;

/// <summary>The bounds and defaults for one type of object, by resource name (<c>cpu</c>, <c>memory</c>).</summary>
public sealed record LimitRangeItem
{
    /// <summary><c>Container</c> (each container of a pod) or <c>Pod</c> (the sum over a pod's containers).</summary>
    public string? Type { get; init; }
    /// <summary>The largest limit (and request) allowed.</summary>
    public ResourceList? Max { get; init; }
    /// <summary>The smallest request (and limit) allowed.</summary>
    public ResourceList? Min { get; init; }
    /// <summary>Container only: the limit a container without one gets; defaults to <c>max</c>.</summary>
    public ResourceList? Default { get; init; }
    /// <summary>Container only: the request a container without one gets; defaults to <c>default</c>, then <c>min</c>.</summary>
    public ResourceList? DefaultRequest { get; init; }
    /// <summary>The largest limit / request ratio allowed (at least 1).</summary>
    public ResourceList? MaxLimitRequestRatio { get; init; }
}
