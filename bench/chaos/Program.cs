// ./platform chaos: kill -9 each component of the running local platform in turn, under steady write load and gateway
// traffic, and let the platform's supervisor start it again; prove no acknowledged write is lost (each is in Postgres and reaches a topic consumer) and measure how long
// until everything works again. Prints one row per fault; exits 1 when a write is lost or a phase does not converge
// within --converge-limit seconds.
//
//   ./platform chaos [--only apiserver,postgres,...] [--converge-limit 10] [--broker-downtime 3] [--markdown]
//   ./platform chaos --ha    on ./platform up --ha: either apiserver, the leading scheduler and the leading
//                            controller-manager, with the writes going to whichever apiserver answers
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Platform.Bench.Chaos;

string[]? only = null;
var convergeLimit = TimeSpan.FromSeconds(10);
var brokerDowntime = TimeSpan.FromSeconds(3);
var markdown = false;
var ha = false;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--only" when i + 1 < args.Length: only = args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries); break;
        case "--converge-limit" when i + 1 < args.Length: convergeLimit = TimeSpan.FromSeconds(double.Parse(args[++i], CultureInfo.InvariantCulture)); break;
        case "--broker-downtime" when i + 1 < args.Length: brokerDowntime = TimeSpan.FromSeconds(double.Parse(args[++i], CultureInfo.InvariantCulture)); break;
        case "--markdown": markdown = true; break;
        case "--ha": ha = true; break;
        default:
            Console.Error.WriteLine($"unknown argument '{args[i]}'; usage: chaos [--ha] [--only a,b] [--converge-limit S] [--broker-downtime S] [--markdown]");
            return 2;
    }
}

var env = PlatformEnvironment.FromProcess();
// Every apiserver replica: a write that cannot reach one goes to the next, as the platform's own clients do.
var replicas = Platform.ApiServer.Client.ApiServerEndpoints.Parse(env.ApiServers, "PLATFORM_APISERVER_URLS");
if (ha && replicas.Replicas.Count < 2)
{
    Console.Error.WriteLine("chaos --ha needs the platform started with ./platform up --ha (PLATFORM_APISERVER_URLS names one apiserver)");
    return 2;
}
var trust = Platform.ApiServer.Client.ApiServerTrust.Handler(System.Environment.GetEnvironmentVariable("PLATFORM_CA_FILE"));
using var api = new HttpClient(new Platform.ApiServer.Client.FailoverHandler(replicas) { InnerHandler = trust }) { BaseAddress = replicas.Replicas[0], Timeout = TimeSpan.FromSeconds(10) };
api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", env.Token);
using var eureka = WithUserInfo(env.Eureka);
using var config = WithUserInfo(env.ConfigServer);

var ns = "chaos-" + DateTime.UtcNow.ToString("HHmmss", CultureInfo.InvariantCulture);
using (var created = await api.PostAsJsonAsync("api/v1/namespaces", new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = ns } }))
{
    if (!created.IsSuccessStatusCode) throw new InvalidOperationException($"creating namespace {ns}: {(int)created.StatusCode} {await created.Content.ReadAsStringAsync()}");
}

var probes = new Probes(api, eureka, config, ns);
var scheduled = probes.PodScheduled("probe-scheduler");
var replicaSet = probes.ReplicaSetPod("probe-controllers");
var running = probes.PodRunning("probe-node-agent", "local");
using var health = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
var all = ha ? new List<FaultTarget>
{
    new ComponentTarget(env, "apiserver", health),
    new ComponentTarget(env, "apiserver-2", health),
    new LeaderTarget(env, "scheduler", health, scheduled.Works, scheduled.CleanUp),
    new LeaderTarget(env, "controller-manager", health, replicaSet.Works, replicaSet.CleanUp),
    new ComponentTarget(env, "discovery", health, ct => probes.RegistryHasAsync("HELLO.DEFAULT", ct)),
} : new List<FaultTarget>
{
    new ComponentTarget(env, "apiserver", health),
    new ComponentTarget(env, "discovery", health, ct => probes.RegistryHasAsync("HELLO.DEFAULT", ct)),
    new ComponentTarget(env, "config-server", health, probes.ConfigServesAsync),
    new ComponentTarget(env, "gateway", health),
    new ComponentTarget(env, "scheduler", health, scheduled.Works, scheduled.CleanUp),
    new ComponentTarget(env, "controller-manager", health, replicaSet.Works, replicaSet.CleanUp),
    new ComponentTarget(env, "node-agent", health, running.Works, running.CleanUp),
    new PostgresTarget(env),
    new BrokerTarget(env, brokerId: 2, brokerDowntime),
};
var unknown = only?.Where(o => all.All(t => !t.Name.StartsWith(o, StringComparison.Ordinal))).ToList();
if (unknown is { Count: > 0 })
{
    Console.Error.WriteLine($"unknown target(s) {string.Join(", ", unknown)}; known: {string.Join(", ", all.Select(t => t.Name))}");
    return 2;
}
var targets = only is null ? all : all.Where(t => only.Any(o => t.Name.StartsWith(o, StringComparison.Ordinal))).ToList();

var phases = new Phases();
var writes = new WriteLoad(api, ns, phases);
var gateway = new GatewayTraffic(new Uri(env.Gateway, "/hello/index.html"), phases);
using var tap = new EventTap(env.KafkaBootstrap, ns);
tap.Start();
using var stopLoad = new CancellationTokenSource();
using var stopTap = new CancellationTokenSource();
var tapping = tap.RunAsync(stopTap.Token);
var load = Task.WhenAll(writes.RunAsync(stopLoad.Token), gateway.RunAsync(stopLoad.Token));

void Progress(string line) => Console.Error.WriteLine($"chaos {phases.Elapsed.TotalSeconds,6:0.0}s  {line}");
Progress($"namespace {ns}: {targets.Count} faults, ConfigMap writes at ~20/s and GETs through the gateway meanwhile");
var campaign = new Campaign(env, ns, phases, writes, tap, gateway);
IReadOnlyList<PhaseResult> rows;
try
{
    var outcomes = await campaign.RunAsync(targets, Progress, CancellationToken.None);
    await stopLoad.CancelAsync();
    await load;
    rows = await campaign.TallyAsync(targets, outcomes, Progress, CancellationToken.None);
}
finally
{
    await stopLoad.CancelAsync();
    await stopTap.CancelAsync();
    await tapping;
    try { (await api.DeleteAsync($"api/v1/namespaces/{ns}")).Dispose(); }
    catch (HttpRequestException) { Progress($"could not delete namespace {ns}"); }
}

Console.WriteLine(FaultTable.Render(rows, markdown));
var lost = rows.Sum(r => r.Lost);
var slow = rows.Where(r => r.Error is not null || r.Converged > convergeLimit).Select(r => r.Target).ToList();
Console.WriteLine($"chaos: {rows.Sum(r => r.WritesAcked)} writes acknowledged, {lost} lost; {targets.Count - slow.Count}/{targets.Count} faults converged within {convergeLimit.TotalSeconds:0} s"
    + (slow.Count > 0 ? $" (not: {string.Join(", ", slow)})" : ""));
if (tap.Malformed > 0) Console.WriteLine($"chaos: {tap.Malformed} events on the topic could not be read");
return lost == 0 && slow.Count == 0 && tap.Malformed == 0 ? 0 : 1;

// http://user:pass@host/ → a client whose requests carry that basic credential.
static HttpClient WithUserInfo(Uri url)
{
    var http = new HttpClient { BaseAddress = new UriBuilder(url) { UserName = "", Password = "" }.Uri, Timeout = TimeSpan.FromSeconds(5) };
    if (url.UserInfo.Length > 0)
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.UnescapeDataString(url.UserInfo))));
    return http;
}
