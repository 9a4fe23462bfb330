namespace Platform.Gateway.GatewayApi;

/// <summary>The gateway as a Gateway API implementation; bound from <c>Gateway:GatewayApi</c>.</summary>
public sealed class GatewayApiOptions
{
    public const string Section = "Gateway:GatewayApi";

    /// <summary><c>Gateway:GatewayApi:Enabled</c>: serve HTTPRoutes of Gateways whose class is this controller's (needs <c>Gateway:Routes:ApiServerUrl</c>).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary><c>Gateway:GatewayApi:ControllerName</c>: the <c>spec.controllerName</c> of the GatewayClasses this gateway serves.</summary>
    public string ControllerName { get; set; } = "platform.io/gateway-controller";

    /// <summary><c>Gateway:GatewayApi:StatusAddress</c>: the address written to served Gateways' <c>status.addresses</c>.</summary>
    public string StatusAddress { get; set; } = "127.0.0.1";

    /// <summary>
    /// <c>Gateway:GatewayApi:ListenerPorts</c>: where a listener's port is served, as <c>listenerPort=localPort</c> pairs
    /// separated by commas (<c>80=8080,443=8443</c>); a listener port not listed is bound as itself. Unset: 80 on the
    /// gateway's own HTTP endpoint and 443 on its HTTPS one (<c>Gateway:Ingress:HttpsUrl</c>; without it, 8443).
    /// Empty: every listener port is bound as itself.
    /// </summary>
    public string? ListenerPorts { get; set; }
}
