using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Platform.Scheduler;
using Platform.Scheduler.Bench;
using Platform.Scheduler.Cache;
using Platform.Scheduler.Framework;
using Platform.Scheduler.Plugins.DefaultBinder;

// In-process, scheduler_perf-style: the real cache, profile and plugins; each pod is scheduled and assumed exactly as
// the scheduling loop does, binding excluded (that is the end-to-end benchmark's part).
var nodes = Arg("--nodes", 5000);
var pods = Arg("--pods", 10000);
var scaling = args.Contains("--scaling");
var only = args.SkipWhile(a => a != "--workload").Skip(1).FirstOrDefault();

Console.WriteLine($"scheduler benchmark (in-process, default profile, adaptive percentageOfNodesToScore), {Environment.ProcessorCount} cores");
Console.WriteLine("pods/s is wall-clock; pods/cpu-s divides by the CPU time this process got, which is the fairer figure on a shared machine");
Console.WriteLine($"{"workload",-18} {"nodes",6} {"pods",6} {"seconds",8} {"pods/s",9} {"pods/cpu-s",10} {"unschedulable",13}");
foreach (var w in Workloads.Names.Where(n => only is null || n == only))
{
    Run(w, nodes, pods);
}
if (scaling)
{
    Console.WriteLine();
    Console.WriteLine("how cost grows: basic and pod-anti-affinity at other cluster sizes");
    foreach (var (n, p) in new[] { (500, 10000), (1000, 10000), (10000, 10000), (5000, 2500), (5000, 20000) })
    {
        Run("basic", n, p);
        if (p <= 10000 || n >= 5000) Run("pod-anti-affinity", n, Math.Min(p, n * 2));
    }
}

static void Run(string workload, int nodeCount, int podCount)
{
    var cache = new SchedulerCache();
    for (var i = 0; i < nodeCount; i++) cache.AddOrUpdateNode(Workloads.Node(i));
    var profile = DefaultProfile();
    var algorithm = new SchedulingAlgorithm(profile, new Random(42));
    var infos = Enumerable.Range(0, podCount).Select(i => new PodInfo(Workloads.Pod(workload, i))).ToList();
    // Warm-up on a throw-away cache so the JIT is done before timing.
    var warm = new SchedulerCache();
    for (var i = 0; i < 200; i++) warm.AddOrUpdateNode(Workloads.Node(i));
    var warmAlgorithm = new SchedulingAlgorithm(profile);
    for (var i = 0; i < 300; i++) warmAlgorithm.Schedule(new CycleState(), new PodInfo(Workloads.Pod(workload, i)), warm);

    var unschedulable = 0;
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    var sw = Stopwatch.StartNew();
    foreach (var pod in infos)
    {
        var r = algorithm.Schedule(new CycleState(), pod, cache);
        if (r.Succeeded) cache.Assume(pod, r.NodeName!);
        else unschedulable++;
    }
    sw.Stop();
    var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
    var rate = podCount / sw.Elapsed.TotalSeconds;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{workload,-18} {nodeCount,6} {podCount,6} {sw.Elapsed.TotalSeconds,8:F2} {rate,9:F0} {podCount / cpuSeconds,10:F0} {unschedulable,13}"));
}

int Arg(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}

// The registry's plugins and default weights; binding is the end-to-end benchmark's, so no binder (and no apiserver
// client), no pod here has a volume claim, so no VolumeBinding (and no informers), and every pod has the same
// priority, so no DefaultPreemption (and no PodDisruptionBudget lister).
static Profile DefaultProfile()
{
    var options = new SchedulerOptions();
    options.Profile.Plugins[DefaultBinder.PluginName] = new PluginSettings { Enabled = false };
    options.Profile.Plugins["VolumeBinding"] = new PluginSettings { Enabled = false };
    options.Profile.Plugins[Platform.Scheduler.Plugins.DefaultPreemption.DefaultPreemption.PluginName] = new PluginSettings { Enabled = false };
    using var services = new ServiceCollection().AddSingleton(options).BuildServiceProvider();
    return Profile.Build(InTreePlugins.Registry, options.Profile, services);
}
