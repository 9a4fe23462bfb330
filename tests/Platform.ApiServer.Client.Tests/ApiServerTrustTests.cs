using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Platform.ApiServer.Client.Tests;

/// <summary>The client kit trusts the apiserver's certificate through the given CA only, and still checks the host name.</summary>
public sealed class ApiServerTrustTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("trust-").FullName;

    [Fact]
    public async Task Handler_TrustsTheGivenCa_RefusesAnotherCa_AWrongHostName_AndAFileWithoutACertificate()
    {
        var (ca, caKey) = Ca("CN=platform-test-ca");
        var (otherCa, otherKey) = Ca("CN=someone-else");
        using var serving = Serving(ca, "127.0.0.1");
        await using var app = await HttpsAsync(serving);
        var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        var caFile = Pem("ca.crt", ca);
        using (var trusted = new HttpClient(ApiServerTrust.Handler(caFile)))
            Assert.Equal("ok", await trusted.GetStringAsync(url + "/"));

        using (var wrong = new HttpClient(ApiServerTrust.Handler(Pem("other.crt", otherCa))))
            await Assert.ThrowsAsync<HttpRequestException>(() => wrong.GetStringAsync(url + "/"));

        // The same CA, but the certificate names 127.0.0.1 and the client asks for localhost.
        using (var byName = new HttpClient(ApiServerTrust.Handler(caFile)))
            await Assert.ThrowsAsync<HttpRequestException>(() => byName.GetStringAsync(url.Replace("127.0.0.1", "localhost", StringComparison.Ordinal) + "/"));

        var empty = Path.Combine(_dir, "empty.crt");
        File.WriteAllText(empty, "not a certificate\n");
        Assert.Contains("holds no PEM certificate", Assert.Throws<InvalidOperationException>(() => ApiServerTrust.Handler(empty)).Message);
        Assert.Contains("cannot be read", Assert.Throws<InvalidOperationException>(() => ApiServerTrust.Handler(Path.Combine(_dir, "missing.crt"))).Message);
        ca.Dispose(); caKey.Dispose(); otherCa.Dispose(); otherKey.Dispose();
    }

    private static (X509Certificate2, ECDsa) Ca(string subject)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        return (request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1)), key);
    }

    private static X509Certificate2 Serving(X509Certificate2 ca, string ip)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=apiserver", key, HashAlgorithmName.SHA256);
        var sans = new SubjectAlternativeNameBuilder();
        sans.AddIpAddress(IPAddress.Parse(ip));
        request.CertificateExtensions.Add(sans.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        // ca carries its private key (CreateSelfSigned attaches it).
        using var signed = request.Create(ca, DateTimeOffset.UtcNow.AddMinutes(-4), DateTimeOffset.UtcNow.AddHours(20), RandomNumberGenerator.GetBytes(16));
        return signed.CopyWithPrivateKey(key);
    }

    private static async Task<WebApplication> HttpsAsync(X509Certificate2 certificate)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(certificate)));
        var app = builder.Build();
        app.MapGet("/", () => "ok");
        await app.StartAsync();
        return app;
    }

    private string Pem(string name, X509Certificate2 certificate)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, certificate.ExportCertificatePem());
        return path;
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
