namespace Platform.Gateway.Ingresses;

/// <summary>The gateway as an ingress controller; bound from <c>Gateway:Ingress</c>.</summary>
public sealed class IngressOptions
{
    public const string Section = "Gateway:Ingress";

    /// <summary><c>Gateway:Ingress:Enabled</c>: serve Ingresses of this controller's classes (needs <c>Gateway:Routes:ApiServerUrl</c>).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary><c>Gateway:Ingress:Controller</c>: the <c>spec.controller</c> of the IngressClasses this gateway serves.</summary>
    public string Controller { get; set; } = Platform.Contracts.Resources.IngressClass.GatewayController;

    /// <summary><c>Gateway:Ingress:StatusAddress</c>: the address written to served Ingresses' <c>status.loadBalancer.ingress</c>.</summary>
    public string StatusAddress { get; set; } = "127.0.0.1";

    /// <summary><c>Gateway:Ingress:Topic</c> / <c>ClassTopic</c>: where Ingress and IngressClass changes arrive.</summary>
    public string Topic { get; set; } = Platform.Contracts.Events.Topics.Ingresses;
    public string ClassTopic { get; set; } = Platform.Contracts.Events.Topics.IngressClasses;
}
