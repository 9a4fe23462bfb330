namespace Platform.Contracts.Resources;

public sealed record NodeSpec
{
    public bool? Unschedulable { get; init; }
    public List<Taint>? Taints { get; init; }
}
