using Microsoft.AspNetCore.Http;
using Platform.Gateway.Configuration;

namespace Platform.Gateway.RateLimiting;

/// <summary>
/// What a rate limit is counted per: <c>principal</c> (default; the authenticated name), <c>ip</c>, <c>apikey</c>
/// (the <c>X-Api-Key</c> value) or <c>header:Name</c>. Spring's bean form <c>#{@ipKeyResolver}</c> is read by name.
/// </summary>
internal static class KeyResolver
{
    public static Func<HttpContext, string?> Parse(string? text)
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
            "ip" or "remoteaddr" or "remoteaddress" => ctx => ctx.Connection.RemoteIpAddress?.ToString(),
            "apikey" => ctx => ctx.Request.Headers["X-Api-Key"].ToString() is { Length: > 0 } v ? v : null,
            _ => throw new GatewayArgumentException("key-resolver", $"'{text}' is not principal, ip, apikey or header:Name"),
        };
    }
}
