using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Platform.Samples.SampleService;

namespace Platform.Discovery.Tests.Infrastructure;

/// <summary>One running sample service (the seed's first/second service) registered with a test registry.</summary>
internal sealed class SampleInstance : IAsyncDisposable
{
    private readonly WebApplication _app;
    private bool _stopped;

    private SampleInstance(WebApplication app, int port)
    {
        _app = app;
        Port = port;
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
    }

    public int Port { get; }

    /// <summary>The path the sample answers under (<c>first-service</c> for <c>my-first-service</c>).</summary>
    public string PathPrefix() => Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<SampleOptions>>().Value.PathPrefix;
    public HttpClient Client { get; }
    public IServiceProvider Services => _app.Services;

    public static async Task<SampleInstance> StartAsync(Uri eurekaUrl, string name, IDictionary<string, string?>? extra = null)
    {
        var app = SampleServiceApp.Create([], b =>
        {
            b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["urls"] = "http://127.0.0.1:0",
                ["spring:application:name"] = name,
                ["eureka:client:serviceUrl:defaultZone"] = eurekaUrl.ToString(),
                ["eureka:client:registryFetchIntervalSeconds"] = "0.2",
                ["eureka:instance:leaseRenewalIntervalInSeconds"] = "1",
                ["eureka:instance:leaseExpirationDurationInSeconds"] = "5",
                ["Logging:LogLevel:Default"] = "Warning",
            });
            if (extra is not null) b.Configuration.AddInMemoryCollection(extra);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new SampleInstance(app, new Uri(address).Port);
    }

    public async Task StopAsync()
    {
        if (_stopped) return;
        _stopped = true;
        await _app.StopAsync(TimeSpan.FromSeconds(10));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await StopAsync();
        await _app.DisposeAsync();
    }
}
