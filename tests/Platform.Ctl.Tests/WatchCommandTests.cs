using Platform.Testing;
using Platform.Testing.ApiServer;

namespace Platform.Ctl.Tests;

[Collection(CtlCollection.Name)]
public sealed class WatchCommandTests(PostgresFixture pg, KafkaFixture kafka)
{
    [Fact]
    public async Task GetWatch_PrintsTheTableThenARowPerChange()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var admin = host.AdminClient();
        await admin.PostAsync("/api/v1/namespaces/default/pods", Http.Yaml(Http.Pod("first"))).ExpectAsync(201);
        var output = new StringWriter();
        var synchronized = TextWriter.Synchronized(output);
        var env = new CtlEnvironment(synchronized, TextWriter.Synchronized(new StringWriter()), new StringReader(""), new Dictionary<string, string?>
        {
            ["PLATFORM_APISERVER_URL"] = host.BaseAddress.ToString(), ["PLATFORM_TOKEN"] = host.AdminToken,
            ["PLATFORMCTL_CONFIG"] = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), "config.json"),
        });
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var run = CtlApp.RunAsync(["get", "pods", "-w"], env, stop.Token);
        await Eventually.WaitAsync(() => output.ToString().Contains("first", StringComparison.Ordinal), TimeSpan.FromSeconds(20), "the initial table");
        await admin.PostAsync("/api/v1/namespaces/default/pods", Http.Yaml(Http.Pod("second"))).ExpectAsync(201);
        await admin.PatchAsync("/api/v1/namespaces/default/pods/second/status", """{"status":{"phase":"Running"}}""").ExpectAsync(200);
        await Eventually.WaitAsync(() => output.ToString().Split('\n').Any(l => l.StartsWith("second", StringComparison.Ordinal) && l.Contains("Running", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(20), "the watched rows");
        await stop.CancelAsync();
        // Cancelling (Ctrl+C) ends the watch promptly.
        var exit = await run.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(130, exit);
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches("^NAME +READY +STATUS", lines[0]);
        Assert.Equal(1, lines.Count(l => l.StartsWith("NAME", StringComparison.Ordinal)));
        Assert.Contains(lines, l => l.StartsWith("second", StringComparison.Ordinal) && l.Contains("Pending", StringComparison.Ordinal));
    }
}
