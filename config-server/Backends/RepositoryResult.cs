using Platform.ConfigServer.Environment;

namespace Platform.ConfigServer.Backends;

/// <summary>What one backend contributed: its sources, the version it served (a commit id) and the label it resolved.</summary>
internal sealed record RepositoryResult(IReadOnlyList<PropertySource> Sources, string? Version, string? Label);
