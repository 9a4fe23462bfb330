namespace Platform.Contracts.Routing;

/// <summary>Thrown by a factory for a bad argument; the compiler adds the route and component names.</summary>
public sealed class GatewayArgumentException(string argument, string reason) : Exception(reason)
{
    public string Argument { get; } = argument;
}
