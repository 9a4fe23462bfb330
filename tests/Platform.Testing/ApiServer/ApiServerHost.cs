using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Platform.ApiServer;
using Platform.Contracts.Resources;
using Platform.ServiceDefaults;

namespace Platform.Testing.ApiServer;

/// <summary>
/// The real apiserver (the same AddApiServer/MapApiServer as Program.cs) on Kestrel at 127.0.0.1, with its own
/// database, its own topic prefix on the shared mock Kafka cluster and a known admin token. A project that starts one
/// references services/apiserver itself (Platform.Testing does not pass the service on).
/// </summary>
public sealed class ApiServerHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ApiServerHost(WebApplication app, Uri address, string adminToken, string topicPrefix, string connectionString, string stateDir)
    {
        _app = app;
        BaseAddress = address;
        AdminToken = adminToken;
        TopicPrefix = topicPrefix;
        ConnectionString = connectionString;
        StateDirectory = stateDir;
    }

    public Uri BaseAddress { get; }
    public string AdminToken { get; }
    public string TopicPrefix { get; }
    public string ConnectionString { get; }
    public string StateDirectory { get; }
    public IServiceProvider Services => _app.Services;

    public string Topic(ResourceKind kind) => TopicPrefix + kind.Plural;

    public static async Task<ApiServerHost> StartAsync(PostgresFixture pg, KafkaFixture kafka, Action<Dictionary<string, string?>>? configure = null,
        string? connectionString = null, string? topicPrefix = null, string? stateDirectory = null, Action<WebApplicationBuilder>? builderHook = null)
    {
        connectionString ??= await pg.CreateDatabaseAsync("apiserver");
        topicPrefix ??= $"t{Guid.NewGuid():N}"[..13] + ".";
        foreach (var kind in ResourceKinds.All) kafka.EnsureTopic(topicPrefix + kind.Plural, 3);
        stateDirectory ??= Directory.CreateTempSubdirectory("apiserver-test-").FullName;
        var adminToken = "test-admin-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Platform"] = connectionString,
            ["Kafka:BootstrapServers"] = kafka.BootstrapServers,
            ["ApiServer:TopicPrefix"] = topicPrefix,
            ["ApiServer:StateDirectory"] = stateDirectory,
            ["ApiServer:AdminToken"] = adminToken,
            ["Outbox:IdleWakeup"] = "00:00:01",
        };
        configure?.Invoke(settings);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing", ApplicationName = "Platform.ApiServer" });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddPlatformDefaults();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddApiServer();
        builderHook?.Invoke(builder);
        var app = builder.Build();
        app.MapPlatformDefaults();
        app.MapApiServer();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new ApiServerHost(app, new Uri(address), adminToken, topicPrefix, connectionString, stateDirectory);
    }

    public HttpClient Client(string? token = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (token is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public HttpClient AdminClient() => Client(AdminToken);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
