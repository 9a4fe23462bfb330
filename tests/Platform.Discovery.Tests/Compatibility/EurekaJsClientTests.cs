using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Platform.Discovery.Tests.Infrastructure;
using Platform.Testing;

namespace Platform.Discovery.Tests.Compatibility;

/// <summary>The npm eureka-js-client, unchanged, against our server (with Basic auth from the URL's user info).</summary>
public sealed class EurekaJsClientTests(NpmPackages npm) : IClassFixture<NpmPackages>
{
    [Fact]
    public async Task EurekaJsClient_Registers_Heartbeats_FetchesDeltas_AndDeregisters()
    {
        await using var server = await TestDiscoveryServer.StartAsync(new Dictionary<string, string?>
        {
            ["Eureka:Server:Username"] = "eureka",
            ["Eureka:Server:Password"] = "p4ss",
        });
        using var api = server.Client();
        var url = $"http://eureka:p4ss@127.0.0.1:{server.BaseUrl.Port}/eureka/apps/";
        var script = Path.Combine(AppContext.BaseDirectory, "Compatibility", "eureka-js", "client.js");
        var psi = new ProcessStartInfo("node", script) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.Environment["NODE_PATH"] = Path.Combine(npm.Folder, "node_modules");
        psi.Environment["EUREKA_URL"] = url;
        psi.Environment["APP"] = "node-service";
        psi.Environment["INSTANCE_ID"] = "node-1";
        psi.Environment["PORT"] = "3001";
        using var node = Process.Start(psi)!;
        var lines = new NodeOutput(node);
        try
        {
            await lines.WaitForAsync("registered");
            var instance = (await Eureka.GetJsonAsync(api, "apps/NODE-SERVICE/node-1"))["instance"]!;
            Assert.Equal("UP", instance["status"]!.GetValue<string>());
            Assert.Equal(3001, instance["port"]!["$"]!.GetValue<int>());
            Assert.Equal("node", instance["metadata"]!["runtime"]!.GetValue<string>());
            var registeredRenewal = instance["leaseInfo"]!["lastRenewalTimestamp"]!.GetValue<long>();

            await lines.WaitForAsync("heartbeats");
            var renewed = (await Eureka.GetJsonAsync(api, "apps/NODE-SERVICE/node-1"))["instance"]!["leaseInfo"]!["lastRenewalTimestamp"]!.GetValue<long>();
            Assert.True(renewed > registeredRenewal, "heartbeats renew the lease");

            await lines.WaitForAsync("fetched", l => Ids(l).SequenceEqual(["node-1"]));

            // A second instance appears through the client's delta fetch.
            using (var auth = server.Client())
            {
                auth.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", Convert.ToBase64String("eureka:p4ss"u8.ToArray()));
                await Eureka.RegisterAsync(auth, "node-service", "node-2", 3002);
            }
            await lines.WaitForAsync("fetched", l => Ids(l).SequenceEqual(["node-1", "node-2"]));

            await node.StandardInput.WriteLineAsync("stop");
            await lines.WaitForAsync("deregistered");
            using var gone = await api.GetAsync("apps/NODE-SERVICE/node-1");
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
            await node.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
            Assert.Equal(0, node.ExitCode);
        }
        finally
        {
            if (!node.HasExited) node.Kill(entireProcessTree: true);
        }
    }

    private static IEnumerable<string> Ids(JsonObject line) => line["ids"]!.AsArray().Select(i => i!.GetValue<string>());

    /// <summary>Every JSON line the script printed; a wait looks for a matching one among all of them.</summary>
    private sealed class NodeOutput
    {
        private readonly List<JsonObject> _lines = [];
        private readonly System.Text.StringBuilder _stderr = new();

        public NodeOutput(Process node)
        {
            node.OutputDataReceived += (_, e) =>
            {
                if (e.Data is { Length: > 0 } line && JsonNode.Parse(line) is JsonObject o) lock (_lines) _lines.Add(o);
            };
            node.ErrorDataReceived += (_, e) => { lock (_stderr) _stderr.AppendLine(e.Data); };
            node.BeginOutputReadLine();
            node.BeginErrorReadLine();
        }

        public async Task<JsonObject> WaitForAsync(string step, Func<JsonObject, bool>? match = null)
        {
            try
            {
                return await Eventually.WaitAsync(() =>
                {
                    lock (_lines)
                    {
                        var error = _lines.FirstOrDefault(l => l["step"]!.GetValue<string>() == "error");
                        if (error is not null) Assert.Fail("eureka-js-client: " + error["message"]);
                        return Task.FromResult(_lines.FirstOrDefault(l => l["step"]!.GetValue<string>() == step && (match is null || match(l))));
                    }
                }, TimeSpan.FromSeconds(20), "eureka-js-client step " + step);
            }
            catch (TimeoutException ex)
            {
                string err;
                lock (_stderr) err = _stderr.ToString();
                throw new TimeoutException(ex.Message + "; stderr: " + err, ex);
            }
        }
    }
}
