using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Platform.Discovery;
using Platform.Discovery.Api;
using Platform.Samples.SampleService;
using Platform.ServiceDefaults;

namespace Platform.Gateway.Tests.Infrastructure;

/// <summary>
/// The real discovery server (Eureka REST API with Basic auth, publishing <c>platform.registry</c> on the mock Kafka
/// cluster) and the seed's sample services registered with it through their Eureka client.
/// </summary>
public sealed class RegistryStack : IAsyncDisposable
{
    public const string User = "eureka-user";
    public const string Password = "eureka-pass";
    private readonly WebApplication _discovery;
    private readonly List<WebApplication> _samples = [];

    private RegistryStack(WebApplication discovery, int port, string topic)
    {
        _discovery = discovery;
        Port = port;
        Topic = topic;
    }

    public int Port { get; }
    /// <summary>Every request the registry received (<c>GET /eureka/apps/delta</c> ...).</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> Requests { get; private init; } = new();
    public string Topic { get; }
    /// <summary>As <c>./platform env</c> exports it: credentials in the user info.</summary>
    public string EurekaUrl => $"http://{User}:{Password}@127.0.0.1:{Port}/eureka";

    public static async Task<RegistryStack> StartAsync(string? kafkaBootstrap, string registryTopic)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Warning",
            ["Eureka:Server:Username"] = User,
            ["Eureka:Server:Password"] = Password,
            ["Eureka:Server:EvictionIntervalSeconds"] = "1",
            ["Eureka:Server:EnableSelfPreservation"] = "false",
            ["Eureka:Server:EventsTopic"] = registryTopic,
            ["Kafka:BootstrapServers"] = kafkaBootstrap ?? "",
        });
        builder.AddPlatformDefaults();
        builder.AddDiscoveryServer();
        var app = builder.Build();
        var requests = new System.Collections.Concurrent.ConcurrentQueue<string>();
        app.Use((ctx, next) =>
        {
            requests.Enqueue($"{ctx.Request.Method} {ctx.Request.Path}");
            return next(ctx);
        });
        app.MapPlatformDefaults();
        app.MapEurekaApi();
        await app.StartAsync();
        return new RegistryStack(app, PortOf(app), registryTopic) { Requests = requests };
    }

    /// <summary>Starts one instance of a sample service (<c>my-first-service</c> answers under <c>/first-service</c>).</summary>
    public async Task<(WebApplication App, int Port)> StartSampleAsync(string name)
    {
        var app = SampleServiceApp.Create([], b => b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["spring:application:name"] = name,
            ["eureka:client:serviceUrl:defaultZone"] = EurekaUrl + "/",
            ["eureka:instance:leaseRenewalIntervalInSeconds"] = "1",
            ["eureka:instance:leaseExpirationDurationInSeconds"] = "5",
            ["Logging:LogLevel:Default"] = "Warning",
        }));
        await app.StartAsync();
        _samples.Add(app);
        return (app, PortOf(app));
    }

    private static int PortOf(WebApplication app) =>
        new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;

    public async ValueTask DisposeAsync()
    {
        foreach (var s in _samples)
        {
            try { await s.StopAsync(TimeSpan.FromSeconds(5)); } catch (ObjectDisposedException) { }
            await s.DisposeAsync();
        }
        await _discovery.StopAsync(TimeSpan.FromSeconds(5));
        await _discovery.DisposeAsync();
    }
}
