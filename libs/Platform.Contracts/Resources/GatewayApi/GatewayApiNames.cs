namespace Platform.Contracts.Resources.GatewayApi;

/// <summary>Gateway API's group, kinds, condition types and reasons, as its conformance tests spell them.</summary>
public static class GatewayApiNames
{
    public const string Group = "gateway.networking.k8s.io";
    public const string GatewayKind = "Gateway";
    public const string HttpRouteKind = "HTTPRoute";

    public const string Accepted = "Accepted";
    public const string Programmed = "Programmed";
    public const string ResolvedRefs = "ResolvedRefs";
    public const string Conflicted = "Conflicted";

    public const string NotAllowedByListeners = "NotAllowedByListeners";
    public const string NoMatchingParent = "NoMatchingParent";
    public const string NoMatchingListenerHostname = "NoMatchingListenerHostname";
    public const string BackendNotFound = "BackendNotFound";
    public const string RefNotPermitted = "RefNotPermitted";
    public const string InvalidKind = "InvalidKind";
    public const string UnsupportedProtocol = "UnsupportedProtocol";
    public const string InvalidRouteKinds = "InvalidRouteKinds";
    public const string InvalidGatewayClass = "InvalidGatewayClass";
    public const string UnsupportedValue = "UnsupportedValue";
    public const string InvalidCertificateRef = "InvalidCertificateRef";
    public const string PortUnavailable = "PortUnavailable";
    public const string ProtocolConflict = "ProtocolConflict";
    public const string HostnameConflict = "HostnameConflict";
    public const string ListenersNotValid = "ListenersNotValid";
}
