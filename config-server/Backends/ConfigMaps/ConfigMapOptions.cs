namespace Platform.ConfigServer.Backends.ConfigMaps;

/// <summary>
/// <c>ConfigServer:ConfigMaps</c>: serve ConfigMaps of every namespace of the platform's apiserver, followed through
/// the client kit's informer (a list from the apiserver, then their Kafka topic), each namespace's only to callers
/// allowed to read it (<see cref="Security.ConfigNamespaces"/>). A ConfigMap takes part when it carries the label
/// <c>config.platform.io/application</c> (and optionally <c>config.platform.io/profile</c>, default <c>default</c>).
/// The Secrets backend (<c>ConfigServer:Secrets</c>) rides on this one: same apiserver, token, namespace and order.
/// </summary>
internal sealed class ConfigMapOptions
{
    public const string Section = "ConfigServer:ConfigMaps";

    public bool Enabled { get; set; }

    /// <summary>
    /// The namespace served to static credentials (Basic, the static bearer), and to reviewed callers that name none
    /// and are not a ServiceAccount.
    /// </summary>
    public string Namespace { get; set; } = "default";

    /// <summary>The apiserver's ConfigMap topic.</summary>
    public string Topic { get; set; } = "platform.configmaps";

    /// <summary>The apiserver the ConfigMaps are listed from (default <c>PLATFORM_APISERVER_URL</c>, else <c>http://127.0.0.1:7070</c>).</summary>
    public string ApiServerUrl { get; set; } = "";
    /// <summary><c>ConfigServer:ConfigMaps:ApiServerCaFile</c>: the PEM CA the apiserver's HTTPS certificate is checked against (default env <c>PLATFORM_CA_FILE</c>; none: the system's roots).</summary>
    public string? ApiServerCaFile { get; set; }

    /// <summary>
    /// The config server's apiserver token: it lists ConfigMaps (and, with the Secrets backend, Secrets) in every
    /// namespace — the ClusterRole <c>system:platform:config-server</c> grants both — and reviews callers' tokens, for
    /// which its user needs the ClusterRole <c>system:auth-delegator</c>.
    /// </summary>
    public string Token { get; set; } = "";

    public int Order { get; set; }

    /// <summary>ConfigMaps have no versions of their own; only this label (or none) is served from them.</summary>
    public string DefaultLabel { get; set; } = "main";
}
