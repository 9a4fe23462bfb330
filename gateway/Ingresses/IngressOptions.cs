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

    /// <summary>
    /// <c>Gateway:Ingress:HttpsUrl</c>: an HTTPS listener (e.g. <c>https://127.0.0.1:8443</c>) answering with the certificate
    /// of the served Ingresses' <c>spec.tls</c> for the name the client asks for (SNI), HTTP/1.1 and HTTP/2; unset, none.
    /// </summary>
    public string? HttpsUrl { get; set; }

    /// <summary><c>Gateway:Ingress:Topic</c> / <c>ClassTopic</c>: where Ingress and IngressClass changes arrive.</summary>
    public string Topic { get; set; } = Platform.Contracts.Events.Topics.Ingresses;
    public string ClassTopic { get; set; } = Platform.Contracts.Events.Topics.IngressClasses;
}
