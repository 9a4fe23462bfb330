using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;
using Platform.Oidc;

namespace Platform.ApiServer.Auth.Oidc;

internal static class OidcServiceCollectionExtensions
{
    private const string HttpClientName = "apiserver-oidc";
    private static readonly TimeSpan KeysRefreshInterval = TimeSpan.FromHours(1);

    /// <summary>The OIDC authenticator and its issuer's keys (loaded at start and hourly; nothing runs while IssuerUrl is empty).</summary>
    public static IServiceCollection AddOidcAuthenticator(this IServiceCollection services)
    {
        services.AddIssuerKeys(HttpClientName, sp => KeySettings(sp.GetRequiredService<IOptions<ApiServerOptions>>().Value.Oidc))
            .ConfigurePrimaryHttpMessageHandler(sp => Handler(sp.GetRequiredService<IOptions<ApiServerOptions>>().Value.Oidc));
        services.AddSingleton<OidcAuthenticator>();
        return services;
    }

    private static IssuerKeysSettings KeySettings(OidcOptions o) =>
        new(o.IssuerUrl, null, RequireHttpsMetadata: true, KeysRefreshInterval, o.JwksMinRefreshInterval, ApiServerOptions.Section + ":Oidc");

    /// <summary>With <c>CaFile</c>, the issuer's certificate must chain to one of its certificates (or to a system root).</summary>
    private static SocketsHttpHandler Handler(OidcOptions o)
    {
        var handler = new SocketsHttpHandler();
        if (o.CaFile is not { Length: > 0 } caFile) return handler;
        var roots = OidcOptionsValidation.ReadCaFile(caFile, out var why) ?? throw new InvalidOperationException($"ApiServer:Oidc:CaFile: {why}");
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
        {
            if (errors == SslPolicyErrors.None) return true;
            if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != 0) return false;
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(roots);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            return chain.Build(new X509Certificate2(certificate));
        };
        return handler;
    }
}
