namespace Platform.Contracts.Resources;

/// <summary>A Service's <c>spec.sessionAffinityConfig</c>.</summary>
public sealed record SessionAffinityConfig
{
    /// <summary>The settings of <c>sessionAffinity: ClientIP</c>.</summary>
    public ClientIPConfig? ClientIP { get; init; }
}
