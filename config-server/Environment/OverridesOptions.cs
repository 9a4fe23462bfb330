namespace Platform.ConfigServer.Environment;

/// <summary>
/// <c>ConfigServer:Overrides</c>: properties served to every client ahead of all backends, like Spring's
/// <c>spring.cloud.config.server.overrides</c> (e.g. <c>ConfigServer:Overrides:eureka.client.serviceUrl.defaultZone</c>).
/// </summary>
internal sealed class OverridesOptions
{
    public const string Section = "ConfigServer:Overrides";

    public const string SourceName = "overrides";
}
