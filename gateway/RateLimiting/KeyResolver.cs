using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;
using Platform.Gateway.Auth;
using Platform.Gateway.Configuration;

namespace Platform.Gateway.RateLimiting;

/// <summary>
/// What a rate limit is counted per: <c>principal</c> (default; the authenticated name), <c>ip</c> (the client
/// address; IPv6 by its /64, the block one host is given, so a host cannot mint a bucket per address),
/// <c>apikey</c> (the API key's name, when <c>X-Api-Key</c> is a key of the route's scope; an unknown key is no key)
/// or <c>header:Name</c>. Spring's bean form <c>#{@ipKeyResolver}</c> is read by name. No key: the request is denied
/// or let through by <c>deny-empty-key</c>, before any bucket is made.
/// </summary>
internal static class KeyResolver
{
    public static Func<HttpContext, string?> Parse(string? text, ApiKeyStore keys, string? routeNamespace)
    {
        var raw = (text ?? "principal").Trim();
        if (raw.StartsWith("#{@", StringComparison.Ordinal) && raw.EndsWith('}')) raw = raw[3..^1].Replace("KeyResolver", "", StringComparison.OrdinalIgnoreCase);
        if (raw.StartsWith("header:", StringComparison.OrdinalIgnoreCase))
        {
            var header = raw[7..].Trim();
            return ctx => ctx.Request.Headers[header].ToString() is { Length: > 0 } v ? v : null;
        }
        return raw.ToLowerInvariant() switch
        {
            "principal" or "principalname" or "user" => ctx => ctx.User.Identity?.IsAuthenticated == true ? ctx.User.Identity.Name : null,
            "ip" or "remoteaddr" or "remoteaddress" => ctx => ClientNetwork(ctx.Connection.RemoteIpAddress),
            "apikey" => ctx => ApiKeyName(ctx, keys, routeNamespace),
            _ => throw new GatewayArgumentException("key-resolver", $"'{text}' is not principal, ip, apikey or header:Name"),
        };
    }

    /// <summary>The name of the key the ApiKey filter already accepted, else of the presented key when it is one of the route's scope.</summary>
    private static string? ApiKeyName(HttpContext ctx, ApiKeyStore keys, string? routeNamespace)
    {
        if (ctx.User.Identity?.IsAuthenticated == true && ctx.User.FindFirst("auth_method")?.Value == "api_key") return ctx.User.Identity.Name;
        var presented = ctx.Request.Headers["X-Api-Key"].ToString();
        return presented.Length > 0 ? keys.Authenticate(presented, routeNamespace)?.Identity?.Name : null;
    }

    private static string? ClientNetwork(IPAddress? address)
    {
        if (address is null) return null;
        if (address.IsIPv4MappedToIPv6) return address.MapToIPv4().ToString();
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return address.ToString();
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }
}
