using Microsoft.AspNetCore.Builder;
using Platform.Connect;

namespace Platform.Console.Tests.Support;

/// <summary>A standalone Kafka Connect worker (the platform's, as its Program.cs wires it) on a loopback port, Basic credentials required.</summary>
public static class ConnectWorker
{
    public const string User = "connect-user";
    public const string Password = "connect-pass";

    public static async Task<(WebApplication App, Uri Address)> StartAsync(string bootstrapServers, string offsetsFile)
    {
        var app = await LoopbackHost.StartAsync("Platform.Connect", new Dictionary<string, string?>
        {
            ["Kafka:BootstrapServers"] = bootstrapServers,
            ["Connect:Mode"] = "standalone",
            ["Connect:OffsetsFile"] = offsetsFile,
            ["Connect:Username"] = User,
            ["Connect:Password"] = Password,
        }, b => b.AddConnectWorker(), a => a.MapConnectApi(), AppContext.BaseDirectory);
        return (app, LoopbackHost.AddressOf(app));
    }
}
