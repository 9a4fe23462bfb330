namespace Platform.Gateway.Configuration;

/// <summary>Where a route came from (<see cref="RouteDefinition.Source"/>); a source never replaces or removes another's route.</summary>
public static class RouteSources
{
    public const string Yaml = "yaml";
    public const string Resource = "resource";
    public const string Admin = "admin";
    public const string Discovery = "discovery";
    public const string Ingress = "ingress";
    public const string GatewayApi = "httproute";

    /// <summary>For messages: "the routes file", "a Route resource" ...</summary>
    public static string Describe(string source) => source switch
    {
        Resource => "a Route resource",
        Ingress => "an Ingress",
        GatewayApi => "an HTTPRoute",
        Admin => "the admin API",
        Discovery => "the discovery locator",
        _ => "the routes file",
    };

    /// <summary>Ties in <c>order</c>: the routes file first, then the admin API's routes, then Route resources, then Ingresses, then HTTPRoutes.</summary>
    public static int Rank(string source) => source switch
    {
        Yaml => 0,
        Admin => 1,
        Resource => 2,
        Ingress => 3,
        GatewayApi => 4,
        _ => 5,
    };
}
