using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Time.Testing;
using Platform.Discovery.Api;
using Platform.Discovery.Dashboard;
using Platform.ServiceDefaults;

namespace Platform.Discovery.Tests.Infrastructure;

/// <summary>The discovery server on real Kestrel at 127.0.0.1, wired exactly as Program.cs does, with test settings.</summary>
internal sealed class TestDiscoveryServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestDiscoveryServer(WebApplication app, Uri baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }
    public Uri EurekaUrl => new(BaseUrl, "eureka/");
    public IServiceProvider Services => _app.Services;

    public static async Task<TestDiscoveryServer> StartAsync(IDictionary<string, string?>? settings = null, TimeProvider? time = null, int port = 0,
        ILoggerProvider? logs = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing", ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Warning",
            ["Eureka:Server:EvictionIntervalSeconds"] = "1",
        });
        if (settings is not null) builder.Configuration.AddInMemoryCollection(settings);
        builder.AddPlatformDefaults();
        builder.AddDiscoveryServer();
        if (time is not null) builder.Services.AddSingleton(time);
        if (logs is not null) builder.Logging.AddProvider(logs);
        var app = builder.Build();
        app.MapPlatformDefaults();
        app.MapEurekaApi();
        app.MapDiscoveryDashboard();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TestDiscoveryServer(app, new Uri(address.EndsWith('/') ? address : address + "/"));
    }

    public static FakeTimeProvider FakeClock() => new(DateTimeOffset.UtcNow);

    public HttpClient Client(bool json = true)
    {
        var client = new HttpClient { BaseAddress = EurekaUrl };
        if (json) client.DefaultRequestHeaders.Accept.ParseAdd("application/json");
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(TimeSpan.FromSeconds(5));
        await _app.DisposeAsync();
    }
}
