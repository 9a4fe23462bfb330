using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Platform.ApiServer;
using Platform.Contracts.Resources;
using Platform.Gateway.Tests.Infrastructure;
using Platform.ServiceDefaults;
using Platform.Testing;

namespace Platform.Gateway.Tests.Configuration;

/// <summary>
/// The whole path a team uses: <c>platformctl apply -f route.yaml</c> → apiserver (Postgres, outbox) →
/// <c>platform.routes</c> → gateway, and <c>platformctl delete</c> back to 404.
/// </summary>
[Collection(KafkaCollection.Name)]
public sealed class PlatformctlRouteTests(KafkaFixture kafka, PostgresFixture pg) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task PlatformctlApply_RouteServesWithoutRestart_DeleteGives404()
    {
        await using var backend = await TestBackend.StartAsync("orders");
        var prefix = $"t{Guid.NewGuid():N}"[..13] + ".";
        foreach (var kind in ResourceKinds.All) kafka.EnsureTopic(prefix + kind.Plural, 3);
        var adminToken = "test-admin-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        await using var apiserver = await StartApiServerAsync(await pg.CreateDatabaseAsync("gwroutes"), kafka.BootstrapServers, prefix, adminToken);
        await using var gw = await GatewayHost.StartAsync("spring:\n  cloud:\n    gateway:\n      routes: []\n", new Dictionary<string, string?>
        {
            ["Kafka:BootstrapServers"] = kafka.BootstrapServers,
            ["Gateway:RoutesTopic"] = prefix + "routes",
            ["Gateway:RegistryTopic"] = kafka.CreateTopic("registry"),
            ["Gateway:Routes:ApiServerUrl"] = apiserver.Urls.First(),
            ["Gateway:Routes:Token"] = adminToken,
        });

        var dir = Directory.CreateTempSubdirectory("route-manifest-").FullName;
        var manifest = Path.Combine(dir, "route.yaml");
        await File.WriteAllTextAsync(manifest, $"""
            apiVersion: gateway.platform.io/v1
            kind: Route
            metadata:
              name: orders
              namespace: default
            spec:
              uri: {backend.Url}
              predicates:
                - Path=/orders/**
              filters:
                - AddRequestHeader=X-Applied-By, platformctl
            """);
        var apiUrl = apiserver.Urls.First();

        var (exit, output) = await CtlAsync(apiUrl, adminToken, dir, $"apply -f {manifest}");
        Assert.True(exit == 0, "platformctl apply failed: " + output);
        var echo = await Eventually.WaitAsync(async () =>
        {
            using var r = await gw.Client.GetAsync("/orders/42");
            return r.StatusCode == HttpStatusCode.OK ? await EchoResponse.ReadAsync(r) : null;
        }, TimeSpan.FromSeconds(30), "the applied route to serve");
        Assert.Equal("platformctl", echo.Header("X-Applied-By"));
        Assert.Equal("/orders/42", echo.Path);

        // A filter the gateway does not have is refused at apply, naming the route, the filter and the field.
        var bad = Path.Combine(dir, "bad.yaml");
        await File.WriteAllTextAsync(bad, (await File.ReadAllTextAsync(manifest)).Replace("AddRequestHeader=X-Applied-By, platformctl", "NoSuchFilter=1", StringComparison.Ordinal));
        (exit, output) = await CtlAsync(apiUrl, adminToken, dir, $"apply -f {bad}");
        Assert.True(exit != 0, "platformctl apply of an unknown filter succeeded: " + output);
        Assert.Contains("\"orders\" is invalid: spec.filters[0].name: filter NoSuchFilter: unknown filter 'NoSuchFilter'", output, StringComparison.Ordinal);
        Assert.Equal("platformctl", (await EchoResponse.ReadAsync(await gw.Client.GetAsync("/orders/42"))).Header("X-Applied-By"));

        (exit, output) = await CtlAsync(apiUrl, adminToken, dir, $"delete -f {manifest}");
        Assert.True(exit == 0, "platformctl delete failed: " + output);
        await Eventually.WaitAsync(async () => (await gw.Client.GetAsync("/orders/42")).StatusCode == HttpStatusCode.NotFound,
            TimeSpan.FromSeconds(30), "the deleted route to answer 404");
        Directory.Delete(dir, recursive: true);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)] // without Kafka the gateway follows the apiserver's watch
    public async Task ApiKeySecret_CreatedInApiServer_AuthenticatesOnItsNamespacesRoute_ThenDeletedStops(bool kafkaInGateway)
    {
        await using var backend = await TestBackend.StartAsync("keyed");
        var prefix = $"t{Guid.NewGuid():N}"[..13] + ".";
        foreach (var kind in ResourceKinds.All) kafka.EnsureTopic(prefix + kind.Plural, 3);
        var adminToken = "test-admin-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        await using var apiserver = await StartApiServerAsync(await pg.CreateDatabaseAsync("gwkeys"), kafka.BootstrapServers, prefix, adminToken);
        var apiUrl = apiserver.Urls.First();
        // The routes file's route takes only the operator's configured keys, never a namespace's Secret.
        await using var gw = await GatewayHost.StartAsync($$"""
            spring:
              cloud:
                gateway:
                  routes:
                    - id: operator-keyed
                      uri: {{backend.Url}}
                      predicates: [ "Path=/operator-keyed/**" ]
                      filters: [ "ApiKey=ops" ]
            """, new Dictionary<string, string?>
        {
            ["Kafka:BootstrapServers"] = kafkaInGateway ? kafka.BootstrapServers : "",
            ["Gateway:RoutesTopic"] = prefix + "routes",
            ["Gateway:RegistryTopic"] = kafka.CreateTopic("registry"),
            ["Gateway:Routes:ApiServerUrl"] = apiUrl,
            ["Gateway:Routes:Token"] = adminToken,
            ["Gateway:Auth:ApiKeySecrets:ApiServerUrl"] = apiUrl,
            ["Gateway:Auth:ApiKeySecrets:Token"] = adminToken,
            ["Gateway:Auth:ApiKeySecrets:Topic"] = prefix + "secrets",
        });
        using var admin = new HttpClient { BaseAddress = new Uri(apiUrl) };
        admin.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", adminToken);
        async Task<HttpStatusCode> CallAsync(string path)
        {
            var req = new HttpRequestMessage(HttpMethod.Get, path);
            req.Headers.Add("X-Api-Key", "team-key-789");
            using var r = await gw.Client.SendAsync(req);
            return r.StatusCode;
        }
        using (var route = await admin.PostAsJsonAsync("/apis/gateway.platform.io/v1/namespaces/default/routes", new
        {
            apiVersion = "gateway.platform.io/v1", kind = "Route",
            metadata = new { name = "keyed", @namespace = "default" },
            spec = new { uri = backend.Url, predicates = new[] { "Path=/keyed/**" }, filters = new[] { "ApiKey=ops" } },
        }))
        {
            Assert.Equal(HttpStatusCode.Created, route.StatusCode);
        }
        await Eventually.WaitAsync(async () => await CallAsync("/keyed/x") == HttpStatusCode.Unauthorized, TimeSpan.FromSeconds(30), "the Route, refusing an unknown key");

        // Only the hash is stored, in a Secret the gateway finds by its label.
        using var created = await admin.PostAsJsonAsync("/api/v1/namespaces/default/secrets", new
        {
            apiVersion = "v1", kind = "Secret",
            metadata = new { name = "team-a-key", labels = new Dictionary<string, string> { ["gateway.platform.io/api-key"] = "true" } },
            stringData = new { sha256 = Platform.Gateway.Auth.ApiKeyStore.Hash("team-key-789"), roles = "ops" },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        await Eventually.WaitAsync(async () => await CallAsync("/keyed/x") == HttpStatusCode.OK, TimeSpan.FromSeconds(30), "the Secret-backed key to authenticate");
        Assert.Equal(HttpStatusCode.Unauthorized, await CallAsync("/operator-keyed/x"));

        using var deleted = await admin.DeleteAsync("/api/v1/namespaces/default/secrets/team-a-key");
        Assert.True(deleted.IsSuccessStatusCode, $"delete: {(int)deleted.StatusCode}");
        await Eventually.WaitAsync(async () => await CallAsync("/keyed/x") == HttpStatusCode.Unauthorized, TimeSpan.FromSeconds(30), "the deleted key to stop working");
    }

    [Fact]
    public async Task RoutesInTheApiServer_AreListedAtStart_EvenWhenTheTopicHoldsNoEvents()
    {
        await using var backend = await TestBackend.StartAsync("listed");
        var prefix = $"t{Guid.NewGuid():N}"[..13] + ".";
        foreach (var kind in ResourceKinds.All) kafka.EnsureTopic(prefix + kind.Plural, 3);
        var adminToken = "test-admin-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        await using var apiserver = await StartApiServerAsync(await pg.CreateDatabaseAsync("gwlist"), kafka.BootstrapServers, prefix, adminToken);
        var apiUrl = apiserver.Urls.First();
        using var admin = new HttpClient { BaseAddress = new Uri(apiUrl) };
        admin.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", adminToken);
        using (var created = await admin.PostAsJsonAsync("/apis/gateway.platform.io/v1/namespaces/default/routes", new
        {
            apiVersion = "gateway.platform.io/v1",
            kind = "Route",
            metadata = new { name = "listed", @namespace = "default" },
            spec = new { uri = backend.Url, predicates = new[] { "Path=/listed/**" } },
        }))
        {
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        }

        // The gateway follows an empty topic (as after a broker restart that lost its log): only the list can know the route.
        await using var gw = await GatewayHost.StartAsync("spring:\n  cloud:\n    gateway:\n      routes: []\n", new Dictionary<string, string?>
        {
            ["Kafka:BootstrapServers"] = kafka.BootstrapServers,
            ["Gateway:RoutesTopic"] = kafka.CreateTopic("routes-empty"),
            ["Gateway:RegistryTopic"] = kafka.CreateTopic("registry"),
            ["Gateway:Routes:ApiServerUrl"] = apiUrl,
            ["Gateway:Routes:Token"] = adminToken,
        });

        var echo = await Eventually.WaitAsync(async () =>
        {
            using var r = await gw.Client.GetAsync("/listed/1");
            return r.StatusCode == HttpStatusCode.OK ? await EchoResponse.ReadAsync(r) : null;
        }, TimeSpan.FromSeconds(30), "the listed route to serve");
        Assert.Equal("/listed/1", echo.Path);
    }

    private static async Task<WebApplication> StartApiServerAsync(string connectionString, string kafkaBootstrap, string prefix, string adminToken)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing", ApplicationName = "Platform.ApiServer" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Platform"] = connectionString,
            ["Kafka:BootstrapServers"] = kafkaBootstrap,
            ["ApiServer:TopicPrefix"] = prefix,
            ["ApiServer:StateDirectory"] = Directory.CreateTempSubdirectory("apiserver-").FullName,
            ["ApiServer:AdminToken"] = adminToken,
            ["Outbox:IdleWakeup"] = "00:00:01",
        });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddPlatformDefaults();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddApiServer();
        var app = builder.Build();
        app.MapPlatformDefaults();
        app.MapApiServer();
        await app.StartAsync();
        return app;
    }

    private static async Task<(int Exit, string Output)> CtlAsync(string apiUrl, string token, string dir, string args)
    {
        var psi = new ProcessStartInfo("dotnet", $"{CtlDll()} {args}")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = dir,
        };
        psi.Environment["PLATFORM_APISERVER_URL"] = apiUrl;
        psi.Environment["PLATFORM_TOKEN"] = token;
        psi.Environment["PLATFORMCTL_CONFIG"] = Path.Combine(dir, "platformctl.json");
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await p.WaitForExitAsync(cts.Token);
        return (p.ExitCode, await stdout + await stderr);
    }

    /// <summary>platformctl as built next to its project, in this test run's configuration.</summary>
    private static string CtlDll()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        var configuration = dir.Parent!.Name; // bin/{Configuration}/net10.0/
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Platform.sln"))) dir = dir.Parent;
        var dll = Path.Combine(dir!.FullName, "services", "platformctl", "bin", configuration, "net10.0", "Platform.Ctl.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException("platformctl is not built", dll);
    }
}
