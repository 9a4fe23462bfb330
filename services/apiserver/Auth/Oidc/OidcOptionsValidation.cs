using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Platform.ApiServer.Auth.Oidc;

/// <summary>The <c>ApiServer:Oidc:*</c> part of <see cref="ApiServerOptionsValidator"/>: every error names its key.</summary>
internal static class OidcOptionsValidation
{
    private const string Prefix = ApiServerOptions.Section + ":Oidc:";

    public static void Validate(ApiServerOptions options, List<string> errors)
    {
        var o = options.Oidc;
        if (!o.Enabled)
        {
            if (o.ClientId is { Length: > 0 }) errors.Add(Prefix + "IssuerUrl: required when ClientId is set");
            return;
        }
        if (!Uri.TryCreate(o.IssuerUrl, UriKind.Absolute, out var issuer) || (issuer.Scheme != Uri.UriSchemeHttps && !(issuer.Scheme == Uri.UriSchemeHttp && issuer.IsLoopback)))
            errors.Add($"{Prefix}IssuerUrl: '{o.IssuerUrl}' must be an absolute https URL (http only for a loopback issuer)");
        else if (issuer.Query.Length > 0 || issuer.Fragment.Length > 0)
            errors.Add($"{Prefix}IssuerUrl: '{o.IssuerUrl}' must have no query or fragment");
        if (o.IssuerUrl == options.ServiceAccountIssuer)
            errors.Add($"{Prefix}IssuerUrl: must differ from ApiServer:ServiceAccountIssuer (tokens are told apart by their iss)");
        if (string.IsNullOrWhiteSpace(o.ClientId)) errors.Add(Prefix + "ClientId: required when IssuerUrl is set (the audience tokens must name)");
        if (string.IsNullOrWhiteSpace(o.UsernameClaim)) errors.Add(Prefix + "UsernameClaim: must not be empty");
        if (o.GroupsPrefix is { Length: > 0 } && string.IsNullOrEmpty(o.GroupsClaim)) errors.Add(Prefix + "GroupsPrefix: needs GroupsClaim");
        if (o.JwksMinRefreshInterval < TimeSpan.FromMilliseconds(100) || o.JwksMinRefreshInterval > TimeSpan.FromHours(1))
            errors.Add(Prefix + "JwksMinRefreshInterval: must be between 00:00:00.1 and 01:00:00");
        if (o.CaFile is { Length: > 0 } caFile && ReadCaFile(caFile, out var why) is null) errors.Add($"{Prefix}CaFile: {why}");
    }

    /// <summary>The certificates of a PEM file, or null with the reason.</summary>
    public static X509Certificate2Collection? ReadCaFile(string path, out string? why)
    {
        why = null;
        try
        {
            var certificates = new X509Certificate2Collection();
            certificates.ImportFromPemFile(path);
            if (certificates.Count > 0) return certificates;
            why = $"'{path}' holds no PEM certificate";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException)
        {
            why = $"'{path}' cannot be read as PEM certificates: {ex.Message}";
        }
        return null;
    }
}
