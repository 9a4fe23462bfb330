using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Platform.Gateway.Routing;
using Platform.ServiceDefaults;

namespace Platform.Gateway.Tests.Infrastructure;

/// <summary>The real gateway (same wiring as Program.cs) on a loopback port, with its routes file in a temp folder.</summary>
public sealed class GatewayHost : IAsyncDisposable
{
    public const string AdminToken = "test-admin-token";
    private readonly WebApplication _app;

    private GatewayHost(WebApplication app, string url, string routesFile, LogCapture logs)
    {
        _app = app;
        Url = url;
        RoutesFile = routesFile;
        Logs = logs;
        Client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(url) };
    }

    public string Url { get; }
    public string RoutesFile { get; }
    public LogCapture Logs { get; }
    public HttpClient Client { get; }
    public IServiceProvider Services => _app.Services;
    public GatewayRuntime Runtime => _app.Services.GetRequiredService<GatewayRuntime>();

    public static async Task<GatewayHost> StartAsync(string yaml, IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? configureServices = null)
    {
        var dir = Directory.CreateTempSubdirectory("gateway-test-");
        var routesFile = Path.Combine(dir.FullName, "application.yml");
        await File.WriteAllTextAsync(routesFile, yaml);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        var config = new Dictionary<string, string?>
        {
            ["Gateway:RoutesFile"] = routesFile,
            ["Gateway:Admin:Token"] = AdminToken,
            ["Kafka:BootstrapServers"] = "",
            ["Gateway:Discovery:EurekaUrl"] = "",
            ["Logging:LogLevel:Default"] = "Information",
            ["Logging:LogLevel:Microsoft"] = "Warning",
            ["Logging:LogLevel:Yarp"] = "Warning",
        };
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>()) config[k] = v;
        builder.Configuration.AddInMemoryCollection(config);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddPlatformDefaults();
        var logs = new LogCapture();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(logs);
        builder.AddGateway();
        configureServices?.Invoke(builder.Services);
        var app = builder.Build();
        app.MapPlatformDefaults();
        app.MapGateway();
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            dir.Delete(recursive: true);
            throw;
        }
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new GatewayHost(app, address, routesFile, logs);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        try { Directory.Delete(Path.GetDirectoryName(RoutesFile)!, recursive: true); } catch (IOException) { }
    }
}
