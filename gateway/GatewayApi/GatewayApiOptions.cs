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
}
