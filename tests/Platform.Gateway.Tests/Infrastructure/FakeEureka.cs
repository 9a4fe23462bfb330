using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Platform.Gateway.Tests.Infrastructure;

/// <summary>
/// A registry answering <c>GET /eureka/apps</c> in the documented Eureka JSON shape, for tests that need instances
/// without the discovery server; the instances are whatever the test put in.
/// </summary>
public sealed class FakeEureka : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, (string App, int Port, string Status, Dictionary<string, string> Metadata)> _instances = new();

    private FakeEureka(WebApplication app) => _app = app;

    public string EurekaUrl { get; private set; } = "";

    public void Put(string app, string instanceId, int port, string status = "UP", Dictionary<string, string>? metadata = null) =>
        _instances[instanceId] = (app.ToUpperInvariant(), port, status, metadata ?? []);

    public static async Task<FakeEureka> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var self = new FakeEureka(app);
        app.MapGet("/eureka/apps", () => Results.Json(new
        {
            applications = new
            {
                versions__delta = "1",
                apps__hashcode = "",
                application = self._instances.GroupBy(i => i.Value.App).Select(g => new
                {
                    name = g.Key,
                    instance = g.Select(i => new Dictionary<string, object>
                    {
                        ["instanceId"] = i.Key, ["hostName"] = "127.0.0.1", ["app"] = g.Key, ["ipAddr"] = "127.0.0.1",
                        ["status"] = i.Value.Status,
                        ["port"] = new Dictionary<string, object> { ["$"] = i.Value.Port, ["@enabled"] = "true" },
                        ["securePort"] = new Dictionary<string, object> { ["$"] = 443, ["@enabled"] = "false" },
                        ["metadata"] = i.Value.Metadata,
                        ["lastUpdatedTimestamp"] = "1",
                    }).ToList(),
                }).ToList(),
            },
        }));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        self.EurekaUrl = address + "/eureka";
        return self;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
