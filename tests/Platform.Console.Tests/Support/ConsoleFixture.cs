using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Platform.Console;
using Platform.Discovery;
using Platform.Discovery.Api;
using Platform.ServiceDefaults;
using Platform.Testing;
using Platform.Testing.ApiServer;

namespace Platform.Console.Tests.Support;

/// <summary>
/// One real apiserver (Postgres, the Kafka mock cluster) and one console (the same AddConsole/MapConsole as
/// Program.cs) on loopback ports chosen at run time, shared by the collection; each test works in namespaces of its own.
/// </summary>
public sealed class ConsoleFixture : IAsyncLifetime
{
    private readonly PostgresFixture _pg = new();
    private readonly KafkaFixture _kafka = new();
    private WebApplication? _console;
    private WebApplication? _discovery;

    public ApiServerHost ApiServer { get; private set; } = null!;
    public Uri ConsoleAddress { get; private set; } = null!;
    public IServiceProvider ConsoleServices => _console!.Services;
    /// <summary>Discovery's Eureka base URL, without credentials.</summary>
    public Uri EurekaAddress { get; private set; } = null!;
    public const string EurekaUser = "eureka-user";
    public const string EurekaPassword = "eureka-pass";

    public async Task InitializeAsync()
    {
        await _pg.InitializeAsync();
        ApiServer = await ApiServerHost.StartAsync(_pg, _kafka);
        _discovery = await StartDiscoveryAsync(_kafka);
        EurekaAddress = new Uri(AddressOf(_discovery), "/eureka/");
        _console = await StartConsoleAsync(new Dictionary<string, string?>
        {
            ["Console:EurekaUrl"] = $"http://{EurekaUser}:{EurekaPassword}@{EurekaAddress.Authority}/eureka",
            ["Console:ApiServerUrl"] = ApiServer.BaseAddress.ToString(),
            ["Console:TopicPrefix"] = ApiServer.TopicPrefix,
            ["Console:AccessCacheSeconds"] = "2",
            ["Kafka:BootstrapServers"] = _kafka.BootstrapServers,
            ["Logging:LogLevel:Default"] = "Warning",
        });
        ConsoleAddress = AddressOf(_console);
    }

    private static Uri AddressOf(WebApplication app) => new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    /// <summary>The real discovery server (Eureka REST API behind Basic credentials), publishing on a topic of its own.</summary>
    private static async Task<WebApplication> StartDiscoveryAsync(KafkaFixture kafka)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing", ApplicationName = "Platform.Discovery" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Warning",
            ["Eureka:Server:Username"] = EurekaUser,
            ["Eureka:Server:Password"] = EurekaPassword,
            ["Eureka:Server:EnableSelfPreservation"] = "false",
            ["Eureka:Server:EventsTopic"] = kafka.CreateTopic("registry"),
            ["Kafka:BootstrapServers"] = kafka.BootstrapServers,
        });
        builder.AddPlatformDefaults();
        builder.AddDiscoveryServer();
        var app = builder.Build();
        app.MapPlatformDefaults();
        app.MapEurekaApi();
        await app.StartAsync();
        return app;
    }

    internal static async Task<WebApplication> StartConsoleAsync(Dictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing", ApplicationName = "Platform.Console" });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddPlatformDefaults();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddConsole();
        var app = builder.Build();
        app.MapPlatformDefaults();
        app.MapConsole();
        await app.StartAsync();
        return app;
    }

    /// <summary>A browser-like client of the console: its own cookie jar, redirects not followed.</summary>
    public ConsoleBrowser Browser() => new(ConsoleAddress);

    public HttpClient Admin() => ApiServer.AdminClient();

    /// <summary>A ServiceAccount in <paramref name="ns"/> bound to ClusterRole <paramref name="clusterRole"/> there, and its token.</summary>
    public async Task<string> ServiceAccountTokenAsync(string ns, string name, string clusterRole)
    {
        using var admin = Admin();
        await admin.PostAsync($"/api/v1/namespaces/{ns}/serviceaccounts", Http.Json($$$"""{"metadata":{"name":"{{{name}}}"}}""")).ExpectAsync(201);
        await admin.PostAsync($"/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/rolebindings", Http.Json($$$"""
            {"metadata":{"name":"{{{name}}}-{{{clusterRole}}}"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"{{{clusterRole}}}"},
             "subjects":[{"kind":"ServiceAccount","name":"{{{name}}}"}]}
            """)).ExpectAsync(201);
        var token = (string)(await admin.PostAsync($"/api/v1/namespaces/{ns}/serviceaccounts/{name}/token", Http.Json("{}")).ExpectAsync(201))["status"]!["token"]!;
        // The binding reaches the apiserver's authorizer through its own watch: wait until the token may list pods there.
        using var user = ApiServer.Client(token);
        await Eventually.WaitAsync(async () =>
        {
            using var r = await user.GetAsync($"/api/v1/namespaces/{ns}/pods");
            return r.IsSuccessStatusCode;
        }, TimeSpan.FromSeconds(20), $"the RoleBinding of {ns}/{name} takes effect");
        return token;
    }

    public async Task DisposeAsync()
    {
        if (_console is not null) await _console.DisposeAsync();
        if (_discovery is not null) await _discovery.DisposeAsync();
        if (ApiServer is not null) await ApiServer.DisposeAsync();
        _kafka.Dispose();
        await _pg.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ConsoleCollection : ICollectionFixture<ConsoleFixture>
{
    public const string Name = "console";
}
