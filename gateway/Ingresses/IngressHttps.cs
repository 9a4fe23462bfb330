using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Platform.Gateway.Ingresses;

/// <summary>
/// The HTTPS listener of <c>Gateway:Ingress:HttpsUrl</c>: Kestrel picks each connection's certificate from
/// <see cref="IngressCertificates"/> by the client's SNI name (no match and no fallback: the handshake is refused),
/// HTTP/1.1 and HTTP/2 by ALPN; the same routes answer as on the plain port. Endpoints given to Kestrel directly
/// replace the <c>urls</c> setting, so those are listened on here too.
/// </summary>
internal static class IngressHttps
{
    public static WebApplicationBuilder AddIngressHttps(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IngressCertificates>();
        builder.WebHost.ConfigureKestrel((context, kestrel) =>
        {
            if (context.Configuration[$"{IngressOptions.Section}:HttpsUrl"] is not { Length: > 0 } httpsUrl) return;
            foreach (var url in (context.Configuration["urls"] ?? "http://127.0.0.1:8080").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                Listen(kestrel, BindingAddress.Parse(url), _ => { });
            var certificates = kestrel.ApplicationServices.GetRequiredService<IngressCertificates>();
            Listen(kestrel, BindingAddress.Parse(httpsUrl), listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseHttps(https => https.ServerCertificateSelector = (_, name) => certificates.Select(name));
            });
        });
        return builder;
    }

    private static void Listen(KestrelServerOptions kestrel, BindingAddress address, Action<ListenOptions> configure)
    {
        if (string.Equals(address.Host, "localhost", StringComparison.OrdinalIgnoreCase)) kestrel.ListenLocalhost(address.Port, configure);
        else if (IPAddress.TryParse(address.Host, out var ip)) kestrel.Listen(ip, address.Port, configure);
        else kestrel.ListenAnyIP(address.Port, configure);
    }
}
