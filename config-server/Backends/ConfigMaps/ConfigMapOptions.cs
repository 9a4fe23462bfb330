namespace Platform.ConfigServer.Backends.ConfigMaps;

/// <summary>
/// <c>ConfigServer:ConfigMaps</c>: serve ConfigMaps of the platform's apiserver, read from their Kafka topic.
/// A ConfigMap takes part when it carries the label <c>config.platform.io/application</c> (and optionally
/// <c>config.platform.io/profile</c>, default <c>default</c>).
/// </summary>
internal sealed class ConfigMapOptions
{
    public const string Section = "ConfigServer:ConfigMaps";
    public const string ApplicationLabel = "config.platform.io/application";
    public const string ProfileLabel = "config.platform.io/profile";

    public bool Enabled { get; set; }

    /// <summary>Only ConfigMaps of this namespace are served.</summary>
    public string Namespace { get; set; } = "default";

    /// <summary>The apiserver's ConfigMap topic.</summary>
    public string Topic { get; set; } = "platform.configmaps";

    public int Order { get; set; }

    /// <summary>ConfigMaps have no versions of their own; only this label (or none) is served from them.</summary>
    public string DefaultLabel { get; set; } = "main";
}
