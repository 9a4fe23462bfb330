using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Platform.ServiceDefaults;

namespace Platform.ConfigServer.Tests.Support;

/// <summary>The real config server on Kestrel at 127.0.0.1 with an ephemeral port, configured per test.</summary>
internal sealed class ConfigServerHost : IAsyncDisposable
{
    public const string User = "cfg-user";
    public const string Password = "cfg-pass-123";
    public const string Token = "cfg-token-xyz";

    private readonly WebApplication _app;

    private ConfigServerHost(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<ConfigServerHost> StartAsync(IDictionary<string, string?> settings, int port = 0, ILoggerProvider? logs = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.AddPlatformDefaults();
        builder.Logging.ClearProviders();
        if (logs is not null)
        {
            builder.Logging.AddProvider(logs);
            builder.Logging.SetMinimumLevel(LogLevel.Trace);
        }
        var all = new Dictionary<string, string?>
        {
            ["ConfigServer:Security:Username"] = User,
            ["ConfigServer:Security:Password"] = Password,
            ["ConfigServer:Security:BearerToken"] = Token,
            ["ConfigServer:Bus:Enabled"] = "false",
        };
        foreach (var (k, v) in settings) all[k] = v;
        builder.Configuration.AddInMemoryCollection(all);
        builder.AddConfigServer();
        var app = builder.Build();
        app.MapPlatformDefaults();
        app.MapConfigServerApi();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new ConfigServerHost(app, new Uri(address));
    }

    public static Task<ConfigServerHost> StartNativeAsync(string repoDir, IDictionary<string, string?>? extra = null, int port = 0, ILoggerProvider? logs = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["ConfigServer:Native:Enabled"] = "true",
            ["ConfigServer:Native:SearchLocations:0"] = repoDir,
        };
        foreach (var (k, v) in extra ?? new Dictionary<string, string?>()) settings[k] = v;
        return StartAsync(settings, port, logs);
    }

    /// <summary>A client sending HTTP Basic credentials, as Spring clients do.</summary>
    public HttpClient CreateClient(bool authenticated = true)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (authenticated)
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}")));
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
