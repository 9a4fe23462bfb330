namespace Platform.Contracts.Resources;

/// <summary>Linux capabilities by name without the <c>CAP_</c> prefix, such as <c>NET_BIND_SERVICE</c>; <c>ALL</c> in drop removes every one.</summary>
public sealed record Capabilities
{
    /// <summary>Capabilities added to the runtime's default set.</summary>
    public List<string>? Add { get; init; }
    /// <summary>Capabilities removed from the runtime's default set.</summary>
    public List<string>? Drop { get; init; }
}
