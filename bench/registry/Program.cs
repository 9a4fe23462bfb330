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
        // A 10 s delta queue instead of Eureka's 3 min: otherwise every delta fetch below would carry the instances the
        // bench registered in the minutes before (a fleet that just started), not the changes of one polling interval.
        ["Eureka__Server__DeltaRetentionSeconds"] = "10",
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
        var before = ResidentBytes(server);
        var more = await load.RegisterAsync(10_000, maxInstances - 10_000, TimeSpan.FromSeconds(240));
        var held = 10_000 + more.Count;
        report.AppendLine(CultureInfo.InvariantCulture, $"registrations/s (to {held:N0}) {more.PerSecond,8:N0}");
        // Resident memory of the registry process: the growth over the 10k → 100k registrations, per instance added.
        var after = ResidentBytes(server);
        report.AppendLine(CultureInfo.InvariantCulture, $"memory                    {after / 1024.0 / 1024.0,10:N0} MiB resident at {held:N0} instances, {(after - before) / (double)more.Count,6:N0} bytes per instance added");
        var sustained = await load.RegisterAsync(0, int.MaxValue, TimeSpan.FromSeconds(60), modulo: held);
        report.AppendLine(CultureInfo.InvariantCulture, $"registrations/s, 60 s    {sustained.PerSecond,10:N0}  ({sustained.Count:N0} re-registrations of the {held:N0} in {sustained.Elapsed.TotalSeconds:N1} s, 64 concurrent)");
        await Task.Delay(TimeSpan.FromSeconds(12)); // the bulk re-registrations leave the delta queue
        var delta = await load.DeltaFetchAsync(held, 400, TimeSpan.FromSeconds(60));
        report.AppendLine(CultureInfo.InvariantCulture, $"delta fetch @{held / 1000}k gzip    p50 {delta.P50,7:N1} ms  p99 {delta.P99,7:N1} ms  ({delta.Samples} fetches, each after a change, last {delta.Bytes / 1024.0:N1} KiB)");
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

// VmRSS of the process, from /proc (the registry is another process; its GC heap is not visible from here).
static long ResidentBytes(Process p)
{
    foreach (var line in File.ReadLines($"/proc/{p.Id}/status"))
        if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    return 0;
}

static int FreePort()
{
    using var l = new TcpListener(IPAddress.Loopback, 0);
    l.Start();
    return ((IPEndPoint)l.LocalEndpoint).Port;
}
