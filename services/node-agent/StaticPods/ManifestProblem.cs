namespace Platform.NodeAgent.StaticPods;

/// <summary>A manifest file (or one document of it) that was skipped, and why.</summary>
internal sealed record ManifestProblem(string File, string Reason);
