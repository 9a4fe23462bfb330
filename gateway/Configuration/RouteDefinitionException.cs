namespace Platform.Gateway.Configuration;

/// <summary>A route that cannot be compiled; the message names the route, the predicate or filter and the argument.</summary>
public sealed class RouteDefinitionException : Exception
{
    public RouteDefinitionException(string message) : base(message) { }
    public RouteDefinitionException(string message, Exception inner) : base(message, inner) { }
    public RouteDefinitionException() { }

    public string? RouteId { get; init; }
    public string? Argument { get; init; }

    public static RouteDefinitionException For(string routeId, string component, string? argument, string reason) =>
        new($"route '{routeId}': {component}" + (argument is null ? "" : $" argument '{argument}'") + $": {reason}")
        {
            RouteId = routeId,
            Argument = argument,
        };
}
