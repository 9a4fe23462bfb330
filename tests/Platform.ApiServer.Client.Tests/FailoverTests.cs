using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Platform.ApiServer.Client.Tests;

/// <summary>A client given several apiserver replicas passes over one it cannot reach, and stays with the one that answers.</summary>
public sealed class FailoverTests
{
    [Fact]
    public async Task AClientOfSeveralReplicas_SkipsAnUnreachableOne_SendsEachWriteOnce_AndMovesOnWhenItsReplicaStops()
    {
        var seen = new ConcurrentQueue<(string Replica, string Method)>();
        await using var a = await ReplicaAsync("a", seen);
        await using var b = await ReplicaAsync("b", seen);
        var dead = DeadAddress();

        var services = new ServiceCollection();
        services.AddApiClient(_ => ApiConnection.FromSetting($"{dead}, {Url(a)}, {Url(b)}", "token", null, "Test:ApiServerUrl"));
        await using var sp = services.BuildServiceProvider();
        var client = sp.GetRequiredService<ApiClient>();

        var first = await client.SendAsync(HttpMethod.Get, "/api/v1/namespaces/default/configmaps/x", null, CancellationToken.None);
        Assert.Equal("a", first.Object["replica"]!.GetValue<string>());
        // The answer that came back set the replica for the process: no more attempts at the dead one.
        for (var i = 0; i < 3; i++) await client.SendAsync(HttpMethod.Get, "/api/v1/namespaces/default/configmaps/x", null, CancellationToken.None);
        var write = await client.SendAsync(HttpMethod.Post, "/api/v1/namespaces/default/configmaps", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "y" } }, CancellationToken.None);
        Assert.Equal("a", write.Object["replica"]!.GetValue<string>());
        Assert.Equal(["a", "a", "a", "a", "a"], seen.Select(s => s.Replica));
        Assert.Single(seen, s => s.Method == "POST");

        await a.StopAsync();
        var afterStop = await client.SendAsync(HttpMethod.Post, "/api/v1/namespaces/default/configmaps", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "z" } }, CancellationToken.None);
        Assert.Equal("b", afterStop.Object["replica"]!.GetValue<string>());
        Assert.Equal(1, seen.Count(s => s is { Replica: "b", Method: "POST" }));
    }

    [Theory]
    [InlineData("", "no apiserver URL given")]
    [InlineData("https://a:6443,ftp://b", "'ftp://b' is not an http(s) URL")]
    [InlineData("https://a:6443/api", "must be a server's root")]
    [InlineData("https://a:6443, https://a:6443", "is listed twice")]
    public void ABadReplicaList_IsRefused_NamingTheEntry(string value, string message)
    {
        Assert.False(ApiServerEndpoints.TryParse(value, out _, out var error));
        Assert.Contains(message, error);
        Assert.Contains(message, Assert.Throws<FormatException>(() => ApiConnection.FromSetting(value, "t", null, "Scheduler:ApiServerUrl")).Message);
    }

    private static async Task<WebApplication> ReplicaAsync(string name, ConcurrentQueue<(string, string)> seen)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.Run(async context =>
        {
            seen.Enqueue((name, context.Request.Method));
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync($$"""{"replica":"{{name}}"}""");
        });
        await app.StartAsync();
        return app;
    }

    private static string Url(WebApplication app) => app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

    /// <summary>A loopback port that was just free: connecting to it is refused.</summary>
    private static string DeadAddress()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return $"http://127.0.0.1:{port}";
    }
}
