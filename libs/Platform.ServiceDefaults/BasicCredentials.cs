using System.Text;
using Microsoft.AspNetCore.Http;

namespace Platform.ServiceDefaults;

/// <summary>Checks a request's HTTP Basic <c>Authorization</c> header against one user, in fixed time.</summary>
public static class BasicCredentials
{
    public static bool Match(HttpRequest request, string user, string password)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase)) return false;
        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
        }
        catch (FormatException)
        {
            return false;
        }
        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0) return false;
        return SecretComparison.FixedTimeEquals(decoded[..colon], user) & SecretComparison.FixedTimeEquals(decoded[(colon + 1)..], password);
    }
}
