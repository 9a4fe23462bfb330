using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Platform.Config.Client;
using Platform.ConfigServer.Tests.Support;
using Platform.Testing;

namespace Platform.ConfigServer.Tests.Client;

public sealed class ConfigClientTests
{
    private static TempRepo Repo() => new TempRepo()
        .With("application.yml", "shared:\n  timeout: 30\nlocal:\n  overridden: from-server\n")
        .With("orders.yml", "orders:\n  page-size: 20\n  tags: [a, b]\n  enabled: true\n")
        .With("orders-dev.yml", "orders:\n  page-size: 50\n")
        .With("feature/x/orders.yml", "orders:\n  page-size: 7\n");

    private static Dictionary<string, string?> ClientSettings(Uri server, string env = "dev") => new()
    {
        ["spring:application:name"] = "orders",
        ["spring:cloud:config:uri"] = server.ToString(),
        ["spring:cloud:config:env"] = env,
        ["spring:cloud:config:username"] = ConfigServerHost.User,
        ["spring:cloud:config:password"] = ConfigServerHost.Password,
        ["spring:cloud:bus:enabled"] = "false",
        ["local:overridden"] = "from-appsettings",
        ["local:kept"] = "local-only",
    };

    private static IConfigurationRoot Build(Dictionary<string, string?> settings)
    {
        var builder = new ConfigurationBuilder().AddInMemoryCollection(settings);
        builder.AddConfigServer();
        return builder.Build();
    }

    [Fact]
    public async Task AddConfigServer_LoadsValuesWithSpringPrecedenceOverLocalSettings()
    {
        using var repo = Repo();
        await using var host = await ConfigServerHost.StartNativeAsync(repo.Path);

        var config = Build(ClientSettings(host.BaseAddress));

        Assert.Equal("50", config["orders:page-size"]);
        Assert.Equal("b", config["orders:tags:1"]);
        Assert.Equal("true", config["orders:enabled"]);
        Assert.Equal("30", config["shared:timeout"]);
        Assert.Equal("from-server", config["local:overridden"]);
        Assert.Equal("local-only", config["local:kept"]);
    }

    [Fact]
    public async Task AddConfigServer_LabelWithSlash_IsSentAsUnderscoreEscape()
    {
        using var repo = Repo();
        await using var host = await ConfigServerHost.StartNativeAsync(repo.Path);
        var settings = ClientSettings(host.BaseAddress, "default");
        settings["spring:cloud:config:label"] = "feature/x";

        Assert.Equal("7", Build(settings)["orders:page-size"]);
    }

    [Fact]
    public async Task AddConfigServer_CredentialsInUri_AreSentAsBasicAuth()
    {
        using var repo = Repo();
        await using var host = await ConfigServerHost.StartNativeAsync(repo.Path);
        var settings = ClientSettings(new Uri($"http://{ConfigServerHost.User}:{ConfigServerHost.Password}@{host.BaseAddress.Authority}/"));
        settings.Remove("spring:cloud:config:username");
        settings.Remove("spring:cloud:config:password");

        Assert.Equal("50", Build(settings)["orders:page-size"]);
    }

    [Fact]
    public void AddConfigServer_FailFastWithServerDown_ThrowsNamingTheSetting()
    {
        var settings = ClientSettings(new Uri($"http://127.0.0.1:{Network.FreeTcpPort()}/"));
        settings["spring:cloud:config:failFast"] = "true";

        var ex = Assert.Throws<InvalidOperationException>(() => Build(settings));

        Assert.Contains("spring:cloud:config:failFast", ex.Message);
    }

    [Fact]
    public void AddConfigServer_ServerDownWithoutFailFast_KeepsLocalValues()
    {
        var config = Build(ClientSettings(new Uri($"http://127.0.0.1:{Network.FreeTcpPort()}/")));

        Assert.Equal("from-appsettings", config["local:overridden"]);
        Assert.Null(config["orders:page-size"]);
    }

    [Fact]
    public async Task AddConfigServer_RetryEnabled_LoadsOnceServerComesUp()
    {
        using var repo = Repo();
        var port = Network.FreeTcpPort();
        var settings = ClientSettings(new Uri($"http://127.0.0.1:{port}/"));
        settings["spring:cloud:config:failFast"] = "true";
        settings["spring:cloud:config:retry:enabled"] = "true";
        settings["spring:cloud:config:retry:initialInterval"] = "200";
        settings["spring:cloud:config:retry:maxInterval"] = "500";
        settings["spring:cloud:config:retry:maxAttempts"] = "40";
        var attempts = 0;
        var loading = Task.Run(() =>
        {
            Interlocked.Increment(ref attempts);
            return Build(settings);
        });
        // The server starts only after the client has begun (and failed) its first attempts.
        await Eventually.WaitAsync(() => Volatile.Read(ref attempts) > 0, TimeSpan.FromSeconds(5), "client started loading");
        await using var host = await ConfigServerHost.StartNativeAsync(repo.Path, port: port);

        var config = await loading.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal("50", config["orders:page-size"]);
    }

    [Fact]
    public async Task AddConfigServer_DiscoveryEnabled_FindsServerInEurekaRegistry()
    {
        using var repo = Repo();
        await using var host = await ConfigServerHost.StartNativeAsync(repo.Path);
        await using var eureka = await StartFakeEurekaAsync(host.BaseAddress);
        var settings = ClientSettings(new Uri("http://127.0.0.1:1/"));
        settings.Remove("spring:cloud:config:uri");
        settings["spring:cloud:config:discovery:enabled"] = "true";
        settings["spring:cloud:config:discovery:serviceId"] = "CONFIGSERVER";
        settings["eureka:client:serviceUrl:defaultZone"] = new Uri(eureka.Urls.First() + "/eureka/").ToString();

        Assert.Equal("50", Build(settings)["orders:page-size"]);
    }

    [Fact]
    public async Task AddConfigServer_WithLoggerFactory_LogsLoadsAndFailuresButNoValues()
    {
        using var repo = Repo().With("orders-prod.yml", "orders:\n  password: hunter2-secret\n");
        await using var host = await ConfigServerHost.StartNativeAsync(repo.Path);
        var logs = new CapturingLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        var builder = new ConfigurationBuilder().AddInMemoryCollection(ClientSettings(host.BaseAddress, "prod"));
        builder.AddConfigServer(factory);
        var down = new ConfigurationBuilder().AddInMemoryCollection(ClientSettings(new Uri($"http://127.0.0.1:{Network.FreeTcpPort()}/")));
        down.AddConfigServer(factory);

        Assert.Equal("hunter2-secret", builder.Build()["orders:password"]);
        down.Build();

        Assert.Contains(logs.Messages, m => m.Contains("configuration keys for orders (prod)", StringComparison.Ordinal));
        Assert.Contains(logs.Messages, m => m.Contains("loading configuration for orders from the config server failed", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Messages, m => m.Contains("hunter2-secret", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("**", "orders", true)]
    [InlineData("orders:**", "orders", true)]
    [InlineData("ORDERS:**", "orders", true)]
    [InlineData("ord*:**", "orders", true)]
    [InlineData("billing:**", "orders", false)]
    [InlineData("billing", "orders", false)]
    public void Matches_DestinationPatterns(string destination, string app, bool expected) =>
        Assert.Equal(expected, BusRefreshListener.Matches(destination, app));

    /// <summary>A registry answering <c>GET /eureka/apps/CONFIGSERVER</c> in Eureka's JSON shape, with one DOWN and one UP instance.</summary>
    private static async Task<WebApplication> StartFakeEurekaAsync(Uri configServer)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapGet("/eureka/apps/{name}", (string name) => name != "CONFIGSERVER"
            ? Results.NotFound()
            : Results.Json(new
            {
                application = new
                {
                    name,
                    instance = new object[]
                    {
                        new { instanceId = "down-1", status = "DOWN", homePageUrl = "http://127.0.0.1:1/", hostName = "127.0.0.1", port = new Dictionary<string, object> { ["$"] = 1, ["@enabled"] = "true" } },
                        new { instanceId = "up-1", status = "UP", homePageUrl = configServer.ToString(), hostName = "127.0.0.1", port = new Dictionary<string, object> { ["$"] = configServer.Port, ["@enabled"] = "true" } },
                    },
                },
            }));
        await app.StartAsync();
        return app;
    }
}
