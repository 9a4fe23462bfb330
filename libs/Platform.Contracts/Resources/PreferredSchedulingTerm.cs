namespace Platform.Contracts.Resources;

public sealed record PreferredSchedulingTerm
{
    /// <summary>1 to 100.</summary>
    public int Weight { get; init; }
    public NodeSelectorTerm Preference { get; init; } = new();
}
