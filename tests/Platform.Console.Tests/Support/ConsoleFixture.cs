using Microsoft.AspNetCore.Builder;
using Platform.Console;
using Platform.Discovery;
using Platform.Discovery.Api;
using Platform.Testing;
using Platform.Testing.ApiServer;
using Platform.Testing.Oidc;

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
    private ConsoleConfigServer? _config;
    private ConsoleGateway? _gateway;

    public ApiServerHost ApiServer { get; private set; } = null!;
    /// <summary>An OIDC provider whose ID tokens (audience <see cref="OidcClientId"/>) the apiserver accepts; the OIDC sign-in tests start a console of their own against it.</summary>
    public OidcTestServer Idp { get; private set; } = null!;
    public const string OidcClientId = "console";
    /// <summary>The Kafka mock cluster the apiserver and the console use.</summary>
    public KafkaFixture Kafka => _kafka;
    public Uri ConsoleAddress { get; private set; } = null!;
    public IServiceProvider ConsoleServices => _console!.Services;
    /// <summary>Discovery's Eureka base URL, without credentials.</summary>
    public Uri EurekaAddress { get; private set; } = null!;
    public const string EurekaUser = "eureka-user";
    public const string EurekaPassword = "eureka-pass";
    /// <summary>The real config server the config page reads (native files, encryption, the bus on its own topic).</summary>
    public ConsoleConfigServer ConfigServer => _config!;
    /// <summary>The real gateway serving the apiserver's Route resources; the console scrapes its metrics every second.</summary>
    public ConsoleGateway Gateway => _gateway!;
    /// <summary>The application <c>Console:ConfigApplications</c> names.</summary>
    public const string ConfiguredApplication = "console-configured-app";

    public async Task InitializeAsync()
    {
        await _pg.InitializeAsync();
        // On 127.0.0.2: to the browser another site than the console on 127.0.0.1, as a real provider is, so the return
        // from the provider is a cross-site redirect chain (where SameSite=Strict cookies are not sent).
        Idp = await OidcTestServer.StartAsync("127.0.0.2");
        ApiServer = await ApiServerHost.StartAsync(_pg, _kafka, s =>
        {
            s["ApiServer:Oidc:IssuerUrl"] = Idp.Issuer;
            s["ApiServer:Oidc:ClientId"] = OidcClientId;
            s["ApiServer:Oidc:GroupsClaim"] = "groups";
        });
        _discovery = await StartDiscoveryAsync(_kafka);
        EurekaAddress = new Uri(AddressOf(_discovery), "/eureka/");
        _config = await ConsoleConfigServer.StartAsync(_kafka);
        _gateway = await ConsoleGateway.StartAsync(ApiServer, _kafka);
        _console = await StartConsoleAsync(new Dictionary<string, string?>
        {
            ["Console:EurekaUrl"] = $"http://{EurekaUser}:{EurekaPassword}@{EurekaAddress.Authority}/eureka",
            ["Console:ApiServerUrl"] = ApiServer.BaseAddress.ToString(),
            ["Console:ConfigServerUrl"] = _config.UrlWithCredentials,
            ["Console:ConfigApplications:0"] = ConfiguredApplication,
            ["Console:GatewayMetricsUrl"] = _gateway.MetricsUrl.ToString(),
            ["Console:GatewayScrapeSeconds"] = "1",
            ["Console:RegistryRefreshSeconds"] = "1",
            ["Console:TopicPrefix"] = ApiServer.TopicPrefix,
            ["Console:AccessCacheSeconds"] = "2",
            ["Kafka:BootstrapServers"] = _kafka.BootstrapServers,
            ["Logging:LogLevel:Default"] = "Warning",
        });
        ConsoleAddress = AddressOf(_console);
    }

    private static Uri AddressOf(WebApplication app) => LoopbackHost.AddressOf(app);

    /// <summary>The real discovery server (Eureka REST API behind Basic credentials), publishing on a topic of its own.</summary>
    private static Task<WebApplication> StartDiscoveryAsync(KafkaFixture kafka) => LoopbackHost.StartAsync("Platform.Discovery", new()
    {
        ["Eureka:Server:Username"] = EurekaUser,
        ["Eureka:Server:Password"] = EurekaPassword,
        ["Eureka:Server:EnableSelfPreservation"] = "false",
        ["Eureka:Server:EventsTopic"] = kafka.CreateTopic("registry"),
        ["Kafka:BootstrapServers"] = kafka.BootstrapServers,
    }, b => b.AddDiscoveryServer(), a => a.MapEurekaApi());

    internal static Task<WebApplication> StartConsoleAsync(Dictionary<string, string?> settings) =>
        LoopbackHost.StartAsync("Platform.Console", settings, b => b.AddConsole(), a => a.MapConsole());

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
        if (_config is not null) await _config.DisposeAsync();
        if (_gateway is not null) await _gateway.DisposeAsync();
        if (ApiServer is not null) await ApiServer.DisposeAsync();
        if (Idp is not null) await Idp.DisposeAsync();
        _kafka.Dispose();
        await _pg.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ConsoleCollection : ICollectionFixture<ConsoleFixture>
{
    public const string Name = "console";
}
