namespace Platform.Contracts.Resources;

/// <summary>One backend of an <see cref="EndpointSlice"/>: a pod's addresses and its state.</summary>
public sealed record Endpoint
{
    /// <summary>1-100 addresses of <c>addressType</c>; consumers use the first.</summary>
    public List<string>? Addresses { get; init; }
    public EndpointConditions? Conditions { get; init; }
    public string? Hostname { get; init; }
    /// <summary>The pod behind the endpoint.</summary>
    public ObjectReference? TargetRef { get; init; }
    public string? NodeName { get; init; }
    public string? Zone { get; init; }
}
