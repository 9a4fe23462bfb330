using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Platform.ApiServer.Client;

/// <summary>
/// How a client trusts the apiserver's serving certificate: the system's roots, or — given a CA file (the local CA
/// <c>./platform up</c> keeps in <c>.platform/pki/ca.crt</c>, exported as <c>PLATFORM_CA_FILE</c>) — that CA alone,
/// as kubectl trusts a kubeconfig's <c>certificate-authority</c>. The host name is still checked.
/// </summary>
public static class ApiServerTrust
{
    /// <summary>A handler for <paramref name="caFile"/> (null or empty: the system's roots). A file without a PEM certificate fails here, at start.</summary>
    public static SocketsHttpHandler Handler(string? caFile)
    {
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        if (string.IsNullOrEmpty(caFile)) return handler;
        var roots = new X509Certificate2Collection();
        try
        {
            roots.ImportFromPemFile(caFile);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw new InvalidOperationException($"the apiserver CA file '{caFile}' cannot be read: {ex.Message}", ex);
        }
        if (roots.Count == 0) throw new InvalidOperationException($"the apiserver CA file '{caFile}' holds no PEM certificate");
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) => Trusted(roots, certificate, errors);
        return handler;
    }

    private static bool Trusted(X509Certificate2Collection roots, X509Certificate? certificate, SslPolicyErrors errors)
    {
        // A wrong host name or no certificate fails whatever the CA; only the chain is judged against the given roots.
        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != 0) return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf);
    }
}
