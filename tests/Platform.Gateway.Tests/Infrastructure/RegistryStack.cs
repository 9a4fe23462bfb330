using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using System.Text.Json.Nodes;
using Platform.Contracts.Registry;
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

    /// <summary>
    /// Registers 127.0.0.1:<paramref name="port"/> for a Service as the endpoints controller does: under its namespaced
    /// application, with the pod, namespace, Service and grant in the metadata. Registering the same id again replaces it.
    /// </summary>
    public async Task RegisterServiceInstanceAsync(ServiceApplication service, string pod, int port, string? allowRoutesFrom = null)
    {
        var metadata = new JsonObject
        {
            [ServiceApplication.PodMetadata] = pod,
            [ServiceApplication.NamespaceMetadata] = service.Namespace,
            [ServiceApplication.ServiceMetadata] = service.Service,
        };
        if (allowRoutesFrom is not null) metadata[ServiceApplication.AllowRoutesFromMetadata] = allowRoutesFrom;
        var body = new JsonObject
        {
            ["instance"] = new JsonObject
            {
                ["instanceId"] = $"{pod}.{service.Namespace}:{port}",
                ["app"] = service.Application,
                ["hostName"] = "127.0.0.1",
                ["ipAddr"] = "127.0.0.1",
                ["vipAddress"] = service.ToString(),
                ["status"] = "UP",
                ["port"] = new JsonObject { ["$"] = port, ["@enabled"] = "true" },
                ["dataCenterInfo"] = new JsonObject { ["@class"] = "com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo", ["name"] = "MyOwn" },
                ["metadata"] = metadata,
            },
        };
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{Port}/eureka/apps/{service.Application}")
        {
            Content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{User}:{Password}")));
        using var r = await http.SendAsync(request);
        if (!r.IsSuccessStatusCode) throw new InvalidOperationException($"registering {service.Application}: {(int)r.StatusCode} {await r.Content.ReadAsStringAsync()}");
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
