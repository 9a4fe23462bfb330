using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;

namespace Platform.Gateway.Tests.Infrastructure;

/// <summary>
/// A client of the gateway's HTTPS endpoint that names the host by SNI and trusts exactly the certificates it made
/// (learning which one was presented), with the <c>kubernetes.io/tls</c> Secrets that hold them.
/// </summary>
internal sealed class SniClient
{
    /// <summary>The certificates this client made: it trusts exactly these.</summary>
    private readonly HashSet<string> _trusted = [];

    public sealed record Answer(string Backend, string Thumbprint, Version Version);

    /// <summary>GET over a fresh TLS connection to 127.0.0.1:<paramref name="port"/> with <paramref name="host"/> as SNI name and Host; null when the handshake fails.</summary>
    public async Task<Answer?> GetAsync(int port, string host, string path, bool http2 = false)
    {
        string? thumbprint = null;
        using var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, ct) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(IPAddress.Loopback, port, ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, cert, _, _) =>
                {
                    thumbprint = cert is null ? null : new X509Certificate2(cert).Thumbprint;
                    return thumbprint is not null && _trusted.Contains(thumbprint);
                },
            },
        };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"https://{host}:{port}{path}");
        if (http2) { request.Version = HttpVersion.Version20; request.VersionPolicy = HttpVersionPolicy.RequestVersionExact; }
        try
        {
            using var r = await client.SendAsync(request);
            if (r.StatusCode != HttpStatusCode.OK) return null;
            return new Answer((await EchoResponse.ReadAsync(r)).Backend, thumbprint ?? "", r.Version);
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    /// <summary>A self-signed certificate for <paramref name="host"/> (with its key), trusted by this client from now on.</summary>
    public X509Certificate2 Certificate(string host)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={host}", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(host);
        request.CertificateExtensions.Add(san.Build());
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var made = X509Certificate2.CreateFromPem(cert.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
        _trusted.Add(made.Thumbprint);
        return made;
    }

    /// <summary>A <c>kubernetes.io/tls</c> Secret holding <paramref name="cert"/> and its key in PEM.</summary>
    public static JsonObject TlsSecret(string name, string ns, X509Certificate2 cert) => new()
    {
        ["apiVersion"] = "v1", ["kind"] = "Secret", ["type"] = "kubernetes.io/tls",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
        ["data"] = new JsonObject
        {
            ["tls.crt"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(cert.ExportCertificatePem())),
            ["tls.key"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(cert.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem())),
        },
    };
}
