using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Platform.Discovery.Bench;

// Load generator for the registry: starts the built server as its own process on a free loopback port,
// then measures registrations/s, heartbeats/s and full-fetch latency at 10,000 and 100,000 instances.
var serverDll = args.Length > 0 ? args[0] : throw new ArgumentException("usage: bench <path to Platform.Discovery.dll> [max instances]");
var maxInstances = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100_000;
var port = FreePort();
using var server = Process.Start(new ProcessStartInfo("dotnet", $"\"{serverDll}\" --urls http://127.0.0.1:{port}")
{
    RedirectStandardOutput = true,
    RedirectStandardError = true,
    Environment =
    {
        ["Logging__LogLevel__Default"] = "Warning",
        ["Eureka__Server__EnableSelfPreservation"] = "false",
        ["DOTNET_gcServer"] = "1",
    },
})!;
server.OutputDataReceived += (_, _) => { };
server.ErrorDataReceived += (_, _) => { };
server.BeginOutputReadLine();
server.BeginErrorReadLine();
try
{
    var load = new Load(new Uri($"http://127.0.0.1:{port}/eureka/"), concurrency: 64);
    await load.WaitUntilUpAsync(TimeSpan.FromSeconds(30));
    var report = new StringBuilder();
    await load.WarmUpAsync(3_000);

    var registered = await load.RegisterAsync(0, 10_000, TimeSpan.FromSeconds(60));
    report.AppendLine(CultureInfo.InvariantCulture, $"registrations/s           {registered.PerSecond,10:N0}  ({registered.Count:N0} in {registered.Elapsed.TotalSeconds:N1} s, 64 concurrent)");
    var beats = await load.HeartbeatAsync(10_000, 30_000, TimeSpan.FromSeconds(60));
    report.AppendLine(CultureInfo.InvariantCulture, $"heartbeats/s              {beats.PerSecond,10:N0}  ({beats.Count:N0} in {beats.Elapsed.TotalSeconds:N1} s, 64 concurrent)");
    foreach (var gzip in new[] { false, true })
    {
        var f = await load.FullFetchAsync(400, gzip, TimeSpan.FromSeconds(60));
        report.AppendLine(CultureInfo.InvariantCulture, $"full fetch @10k {(gzip ? "gzip" : "json")}      p50 {f.P50,7:N1} ms  p99 {f.P99,7:N1} ms  ({f.Samples} fetches, {f.Bytes / 1024.0 / 1024.0:N1} MiB each, right after a change {f.First:N1} ms)");
    }
    if (maxInstances > 10_000)
    {
        var more = await load.RegisterAsync(10_000, maxInstances - 10_000, TimeSpan.FromSeconds(240));
        report.AppendLine(CultureInfo.InvariantCulture, $"registrations/s (to {10_000 + more.Count:N0}) {more.PerSecond,8:N0}");
        foreach (var gzip in new[] { false, true })
        {
            var f = await load.FullFetchAsync(100, gzip, TimeSpan.FromSeconds(120));
            report.AppendLine(CultureInfo.InvariantCulture, $"full fetch @{(10_000 + more.Count) / 1000}k {(gzip ? "gzip" : "json")}     p50 {f.P50,7:N1} ms  p99 {f.P99,7:N1} ms  ({f.Samples} fetches, {f.Bytes / 1024.0 / 1024.0:N1} MiB each, right after a change {f.First:N1} ms)");
        }
    }
    Console.Write(report);
}
finally
{
    server.Kill(entireProcessTree: true);
    await server.WaitForExitAsync();
}

static int FreePort()
{
    using var l = new TcpListener(IPAddress.Loopback, 0);
    l.Start();
    return ((IPEndPoint)l.LocalEndpoint).Port;
}
