using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Platform.ApiServer.Client.Informers;
using Platform.Contracts.Resources;

namespace Platform.Gateway.Ingresses;

/// <summary>
/// An Ingress's <c>spec.tls</c> read from the Secrets it names (in its namespace, <c>tls.crt</c> and <c>tls.key</c> in
/// PEM, as <c>kubectl create secret tls</c> writes them), through the gateway's Secret informer. What cannot be used
/// (a missing Secret, no key, a certificate that does not parse or has expired) is a problem for a Warning event.
/// </summary>
internal static class IngressTlsSecrets
{
    public sealed record Result(List<(IReadOnlyList<string> Hosts, X509Certificate2 Certificate)> Entries, List<string> Problems, string Fingerprint);

    public static Result Load(Ingress ingress, Informer<Secret> secrets, DateTimeOffset now)
    {
        var entries = new List<(IReadOnlyList<string>, X509Certificate2)>();
        var problems = new List<string>();
        var fingerprint = new StringBuilder();
        var ns = ingress.Metadata.Namespace ?? SystemNamespaces.Default;
        foreach (var tls in ingress.Spec.Tls ?? [])
        {
            if (tls.SecretName is not { Length: > 0 } name)
            {
                problems.Add("spec.tls: an entry without secretName is not served over HTTPS");
                continue;
            }
            var secret = secrets.Get(ns, name);
            fingerprint.Append(name).Append('@').Append(secret?.Metadata.ResourceVersion ?? "-").Append(';');
            if (secret is null)
            {
                problems.Add($"spec.tls: secret \"{ns}/{name}\" not found: its hosts are not served over HTTPS");
                continue;
            }
            if (Certificate(secret, now, out var problem) is { } certificate) entries.Add(((IReadOnlyList<string>?)tls.Hosts ?? [], certificate));
            else problems.Add($"spec.tls: secret \"{ns}/{name}\": {problem}");
        }
        return new Result(entries, problems, fingerprint.ToString());
    }

    /// <summary>The Secret's <c>tls.crt</c> with its <c>tls.key</c>, or null with why not (also used for Gateway listeners).</summary>
    public static X509Certificate2? Certificate(Secret secret, DateTimeOffset now, out string problem)
    {
        problem = "";
        var data = secret.Data ?? [];
        if (!data.TryGetValue("tls.crt", out var crt) || !data.TryGetValue("tls.key", out var key))
        {
            problem = "tls.crt and tls.key are required";
            return null;
        }
        try
        {
            var certificate = X509Certificate2.CreateFromPem(Encoding.UTF8.GetString(Convert.FromBase64String(crt)), Encoding.UTF8.GetString(Convert.FromBase64String(key)));
            if (certificate.NotAfter.ToUniversalTime() < now.UtcDateTime) problem = $"the certificate expired at {certificate.NotAfter.ToUniversalTime():yyyy-MM-dd'T'HH:mm:ss'Z'}";
            return problem.Length == 0 ? certificate : null;
        }
        catch (Exception ex) when (ex is FormatException or CryptographicException or ArgumentException)
        {
            problem = $"tls.crt/tls.key is not a PEM certificate and its private key: {ex.Message}";
            return null;
        }
    }
}
