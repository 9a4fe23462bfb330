namespace Platform.Connect.Plugins;

/// <summary>What a plugin is, spelled as <c>GET /connector-plugins</c> reports it (<c>source</c>, <c>sink</c>, <c>transformation</c> ...).</summary>
internal enum PluginKind
{
    Source,
    Sink,
    Transformation,
    Predicate,
    Converter,
}

/// <summary>A discovered plugin: its type, kind, reported class name and every name it answers to.</summary>
internal sealed record PluginDescriptor(Type Type, PluginKind Kind, string ClassName, string Version, IReadOnlyList<string> Names)
{
    public string KindName => Kind.ToString().ToLowerInvariant();
}
