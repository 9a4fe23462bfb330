using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Platform.Discovery.Client.Configuration;
using Platform.Discovery.Client.Transport;

namespace Platform.Discovery.Client.Registration;

/// <summary>
/// Resolves what to register once Kestrel listens: the configured port or the one actually bound (port 0 and
/// <c>--urls</c> work), the host Kestrel bound when it is a concrete address, else the machine name.
/// </summary>
internal sealed class RegistrationInfoFactory(IOptions<EurekaInstanceOptions> options, IServiceProvider services, TimeProvider time)
{
    public RegistrationInfo Create()
    {
        var o = options.Value;
        var bound = BoundAddress();
        var port = o.Port > 0 ? o.Port : bound?.Port
            ?? throw new InvalidOperationException("eureka:instance:port: not set and no HTTP server address to take it from");
        var boundHost = bound is null || bound.Host is "0.0.0.0" or "[::]" or "+" or "*" ? null : bound.Host == "localhost" ? "127.0.0.1" : bound.Host;
        var ip = o.IpAddress ?? boundHost ?? FirstIpv4() ?? "127.0.0.1";
        var host = o.PreferIpAddress ? ip : o.HostName ?? boundHost ?? Dns.GetHostName();
        var app = o.AppName!.ToUpperInvariant();
        var vip = o.VipAddress ?? o.AppName!.ToLowerInvariant();
        var baseUrl = $"http://{host}:{port}";
        return new RegistrationInfo(
            app,
            o.InstanceId ?? $"{host}:{o.AppName!.ToLowerInvariant()}:{port}",
            host, ip, port, o.NonSecurePortEnabled, o.SecurePort, o.SecurePortEnabled,
            o.LeaseRenewalIntervalInSeconds, o.LeaseExpirationDurationInSeconds, o.MetadataMap,
            vip, o.SecureVipAddress ?? vip,
            baseUrl + o.HomePageUrlPath, baseUrl + o.StatusPageUrlPath, baseUrl + o.HealthCheckUrlPath,
            time.GetUtcNow().ToUnixTimeMilliseconds());
    }

    private Uri? BoundAddress()
    {
        var addresses = services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        return addresses
            .Select(a => Uri.TryCreate(a.Replace("://+", "://0.0.0.0", StringComparison.Ordinal).Replace("://*", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var u) ? u : null)
            .OfType<Uri>()
            .OrderBy(u => u.Scheme == "http" ? 0 : 1)
            .FirstOrDefault();
    }

    private static string? FirstIpv4() =>
        Dns.GetHostAddresses(Dns.GetHostName())
            .FirstOrDefault(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))?.ToString();
}
