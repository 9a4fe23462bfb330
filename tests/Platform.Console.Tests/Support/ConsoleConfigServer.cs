using Microsoft.AspNetCore.Builder;
using Platform.ConfigServer;
using Platform.Testing;

namespace Platform.Console.Tests.Support;

/// <summary>
/// The real config server for the console's tests: a native folder of property files (each test writes its own
/// application's file), an encryption key, Basic credentials, and the refresh bus on a topic of its own.
/// </summary>
public sealed class ConsoleConfigServer : IAsyncDisposable
{
    public const string User = "config-user";
    public const string Password = "config-pass";

    private readonly WebApplication _app;

    private ConsoleConfigServer(WebApplication app, string repo, string busTopic)
    {
        _app = app;
        Repository = repo;
        BusTopic = busTopic;
        Address = LoopbackHost.AddressOf(app);
    }

    public Uri Address { get; }
    /// <summary>The native search location.</summary>
    public string Repository { get; }
    /// <summary>Spring Cloud Bus's topic (<c>springCloudBus</c> in a platform).</summary>
    public string BusTopic { get; }
    /// <summary>What the console is configured with: the URL with the credentials in it, as <c>CONFIG_SERVER_URL</c>.</summary>
    public string UrlWithCredentials => $"http://{User}:{Password}@{Address.Authority}";

    public static async Task<ConsoleConfigServer> StartAsync(KafkaFixture kafka)
    {
        var repo = Path.Combine(Path.GetTempPath(), "console-config-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(repo);
        var topic = kafka.CreateTopic("bus", partitions: 1);
        var app = await LoopbackHost.StartAsync("Platform.ConfigServer", new()
        {
            ["ConfigServer:Native:Enabled"] = "true",
            ["ConfigServer:Native:SearchLocations:0"] = repo,
            ["ConfigServer:Security:Username"] = User,
            ["ConfigServer:Security:Password"] = Password,
            ["ConfigServer:Encrypt:Key"] = "console-test-encrypt-key",
            ["ConfigServer:Bus:Topic"] = topic,
            ["Kafka:BootstrapServers"] = kafka.BootstrapServers,
        }, b => b.AddConfigServer(), a => a.MapConfigServerApi());
        return new ConsoleConfigServer(app, repo, topic);
    }

    /// <summary>A client with the Basic credentials (to encrypt a value, as an operator would with curl).</summary>
    public HttpClient Client()
    {
        var http = new HttpClient { BaseAddress = Address };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{User}:{Password}")));
        return http;
    }

    /// <summary>The cipher text of <paramref name="plain"/> under the server's key (<c>POST /encrypt</c>).</summary>
    public async Task<string> EncryptAsync(string plain)
    {
        using var http = Client();
        using var r = await http.PostAsync("/encrypt", new StringContent(plain, System.Text.Encoding.UTF8, "text/plain"));
        r.EnsureSuccessStatusCode();
        return await r.Content.ReadAsStringAsync();
    }

    public void Write(string file, string content) => File.WriteAllText(Path.Combine(Repository, file), content);

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        Directory.Delete(Repository, recursive: true);
    }
}
