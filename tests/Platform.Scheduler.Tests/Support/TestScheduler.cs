using Microsoft.Extensions.DependencyInjection;
using Platform.Contracts.Resources;
using Platform.Scheduler.Plugins.DefaultBinder;
using Platform.Scheduler.Plugins.NodeResourcesFit;

namespace Platform.Scheduler.Tests.Support;

/// <summary>The real framework (the registry's plugins and weights) over a cache, without the process around it.</summary>
internal sealed class TestScheduler
{
    public TestScheduler(NodeResourcesFitArgs? fit = null, ProfileOptions? profile = null, int seed = 1)
    {
        var options = new SchedulerOptions { NodeResourcesFit = fit ?? new NodeResourcesFitArgs(), Profile = profile ?? new ProfileOptions() };
        // The algorithm only decides; nothing here binds, so there is no apiserver client for the binder.
        options.Profile.Plugins.TryAdd(DefaultBinder.PluginName, new PluginSettings { Enabled = false });
        using var services = new ServiceCollection().AddSingleton(options).AddSingleton<Platform.Scheduler.Plugins.VolumeBinding.IVolumeLister>(Volumes)
            .AddSingleton<Platform.Scheduler.Plugins.DefaultPreemption.IBudgetLister>(Budgets).BuildServiceProvider();
        Algorithm = new SchedulingAlgorithm(Profile.Build(InTreePlugins.Registry, options.Profile, services), new Random(seed));
    }

    public SchedulerCache Cache { get; } = new();

    /// <summary>The claims, volumes and classes VolumeBinding sees.</summary>
    public MemoryVolumeLister Volumes { get; } = new();
    public SchedulingAlgorithm Algorithm { get; }

    /// <summary>The PodDisruptionBudgets preemption honours.</summary>
    public MemoryBudgetLister Budgets { get; } = new();

    public TestScheduler WithNodes(params Node[] nodes)
    {
        foreach (var n in nodes) Cache.AddOrUpdateNode(n);
        return this;
    }

    /// <summary>Adds pods already bound (their <c>spec.nodeName</c> set).</summary>
    public TestScheduler WithPods(params Pod[] pods)
    {
        foreach (var p in pods) Cache.AddOrUpdatePod(new PodInfo(p));
        return this;
    }

    public ScheduleResult Try(Pod pod) => Algorithm.Schedule(new CycleState(), new PodInfo(pod), Cache);

    /// <summary>Schedules and assumes the pod, as the scheduling loop does; the node name or null.</summary>
    public string? Schedule(Pod pod)
    {
        var info = new PodInfo(pod);
        var r = Algorithm.Schedule(new CycleState(), info, Cache);
        if (r.Succeeded) Cache.Assume(info, r.NodeName!);
        return r.NodeName;
    }

    /// <summary>PreFilter then Filter of one plugin against one node of the cache; a PreFilter Skip counts as success.</summary>
    public Status Filter(IPlugin plugin, Pod pod, string node)
    {
        var state = new CycleState();
        var info = new PodInfo(pod);
        if (plugin is IPreFilterPlugin pre)
        {
            var s = pre.PreFilter(state, info, Cache);
            if (s.Code == StatusCode.Skip) return Status.Success;
            if (!s.IsSuccess) return s;
        }
        return ((IFilterPlugin)plugin).Filter(state, info, Cache.GetNode(node)!);
    }

    /// <summary>PreScore, Score and NormalizeScore of one plugin over every node, by node name.</summary>
    public Dictionary<string, long> Scores(IScorePlugin plugin, Pod pod)
    {
        var state = new CycleState();
        var info = new PodInfo(pod);
        var nodes = Cache.Nodes;
        var scores = new long[nodes.Count];
        if (plugin is IPreScorePlugin pre && pre.PreScore(state, info, nodes, Cache).Code == StatusCode.Skip)
            return nodes.ToDictionary(n => n.Name, _ => 0L);
        for (var i = 0; i < nodes.Count; i++) scores[i] = plugin.Score(state, info, nodes[i]);
        plugin.NormalizeScore(state, info, scores);
        return nodes.Select((n, i) => (n.Name, scores[i])).ToDictionary(x => x.Name, x => x.Item2);
    }
}
