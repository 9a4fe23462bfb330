using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;

namespace Platform.ApiServer.Tests.Kubectl;

/// <summary>
/// What kubectl needs to talk to a test apiserver, as <c>./platform up</c> sets it up: a CA, a serving certificate for
/// 127.0.0.1 signed by it (client-go sends a bearer token only over TLS), and a kubeconfig with the CA and the token.
/// </summary>
internal sealed class KubectlSession : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kubectl-").FullName;
    private readonly X509Certificate2 _ca;
    private readonly X509Certificate2 _serving;

    public KubectlSession()
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=platform-test-ca", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        var notBefore = DateTimeOffset.UtcNow.AddMinutes(-5);
        _ca = caRequest.CreateSelfSigned(notBefore, notBefore.AddDays(1));

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=platform-apiserver", key, HashAlgorithmName.SHA256);
        var sans = new SubjectAlternativeNameBuilder();
        sans.AddIpAddress(IPAddress.Loopback);
        sans.AddDnsName("localhost");
        request.CertificateExtensions.Add(sans.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        // Within the CA's validity, which a leaf may not outlast.
        using var signed = request.Create(_ca, notBefore, notBefore.AddHours(23), RandomNumberGenerator.GetBytes(16));
        _serving = signed.CopyWithPrivateKey(key);
    }

    public string KubeconfigPath => Path.Combine(_dir, "kubeconfig");

    /// <summary>Serves the apiserver over HTTPS on a free loopback port with the serving certificate.</summary>
    public void UseHttps(WebApplicationBuilder builder)
    {
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(new HttpsConnectionAdapterOptions { ServerCertificate = _serving })));
        // The apiserver's own informers (RBAC) call it over HTTPS too, trusting the CA as ./platform up's PLATFORM_CA_FILE.
        builder.Configuration["ApiServer:LoopbackCaFile"] = CaFile;
    }

    /// <summary>The CA certificate as a PEM file.</summary>
    public string CaFile
    {
        get
        {
            var path = Path.Combine(_dir, "ca.crt");
            if (!File.Exists(path)) File.WriteAllText(path, _ca.ExportCertificatePem());
            return path;
        }
    }

    /// <summary>
    /// HTTPS for kubectl plus plain HTTP on a second loopback port for in-process node agents, as <c>./platform up</c>
    /// serves both; <see cref="PlainAddress"/> finds the second.
    /// </summary>
    public void UseHttpsAndHttp(WebApplicationBuilder builder) => builder.WebHost.ConfigureKestrel(k =>
    {
        k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(new HttpsConnectionAdapterOptions { ServerCertificate = _serving }));
        k.Listen(IPAddress.Loopback, 0);
    });

    public static Uri PlainAddress(IServiceProvider services) => new(services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
        .First(a => a.StartsWith("http://", StringComparison.Ordinal)));

    public void WriteKubeconfig(Uri server, string token, string @namespace) => File.WriteAllText(KubeconfigPath, $"""
        apiVersion: v1
        kind: Config
        clusters:
        - name: test
          cluster:
            server: {server.ToString().TrimEnd('/')}
            certificate-authority-data: {Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(_ca.ExportCertificatePem()))}
        users:
        - name: test
          user:
            token: {token}
        contexts:
        - name: test
          context:
            cluster: test
            user: test
            namespace: {@namespace}
        current-context: test
        """);

    /// <summary>Runs kubectl with the kubeconfig; stdin is the given text when not null.</summary>
    public async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string? stdin, params string[] args)
    {
        var psi = new ProcessStartInfo("kubectl") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = stdin is not null };
        psi.ArgumentList.Add("--kubeconfig=" + KubeconfigPath);
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        if (stdin is not null)
        {
            await p.StandardInput.WriteAsync(stdin);
            p.StandardInput.Close();
        }
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await p.WaitForExitAsync(timeout.Token);
        return (p.ExitCode, await stdout, await stderr);
    }

    /// <summary>Runs kubectl and returns its output; a non-zero exit fails the test with kubectl's error.</summary>
    public async Task<string> OkAsync(string? stdin, params string[] args)
    {
        var (code, stdout, stderr) = await RunAsync(stdin, args);
        Xunit.Assert.True(code == 0, $"kubectl {string.Join(' ', args)} exited {code}: {stderr}{stdout}");
        return stdout;
    }

    /// <summary>Starts a long-running kubectl (<c>get -w</c>); its output lines arrive in the returned channel until it is killed.</summary>
    public (Process Process, System.Threading.Channels.ChannelReader<string> Lines) Start(params string[] args) =>
        Start(new Dictionary<string, string>(), args);

    /// <summary>As <see cref="Start(string[])"/>, with extra environment variables (kubectl's feature gates).</summary>
    public (Process Process, System.Threading.Channels.ChannelReader<string> Lines) Start(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var psi = new ProcessStartInfo("kubectl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (name, value) in environment) psi.Environment[name] = value;
        psi.ArgumentList.Add("--kubeconfig=" + KubeconfigPath);
        foreach (var a in args) psi.ArgumentList.Add(a);
        var p = Process.Start(psi)!;
        var lines = System.Threading.Channels.Channel.CreateUnbounded<string>();
        p.OutputDataReceived += (_, e) => { if (e.Data is null) lines.Writer.TryComplete(); else lines.Writer.TryWrite(e.Data); };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lines.Writer.TryWrite("stderr: " + e.Data); };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return (p, lines.Reader);
    }

    public void Dispose()
    {
        _ca.Dispose();
        _serving.Dispose();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
