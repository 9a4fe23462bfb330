namespace Platform.ConfigServer.Backends.Secrets;

/// <summary>
/// <c>ConfigServer:Secrets</c>: serve Secrets beside the ConfigMaps, through the ConfigMap backend's apiserver connection,
/// namespace rules and order (<c>ConfigServer:ConfigMaps:*</c>). Off by default, as Spring Cloud Kubernetes'
/// <c>spring.cloud.kubernetes.secrets.enableApi</c> is.
/// </summary>
internal sealed class SecretOptions
{
    public const string Section = "ConfigServer:Secrets";

    public bool Enabled { get; set; }

    /// <summary>The apiserver's Secret topic; its events carry metadata only, so each one makes the server read that Secret.</summary>
    public string Topic { get; set; } = "platform.secrets";
}
