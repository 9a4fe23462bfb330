using Microsoft.Extensions.DependencyInjection;
using Platform.Scheduler.Plugins.DefaultBinder;

namespace Platform.Scheduler.Tests.Framework;

public sealed class ProfileTests
{
    private static Profile Build(ProfileOptions options)
    {
        // No apiserver client here: the binder stays off unless a test turns it on.
        options.Plugins.TryAdd(DefaultBinder.PluginName, new PluginSettings { Enabled = false });
        using var services = new ServiceCollection().AddSingleton(new SchedulerOptions { Profile = options })
            .AddSingleton<Platform.Scheduler.Plugins.VolumeBinding.IVolumeLister>(new Support.MemoryVolumeLister())
            .AddSingleton<Platform.Scheduler.Plugins.DefaultPreemption.IBudgetLister>(new Support.MemoryBudgetLister()).BuildServiceProvider();
        return Profile.Build(InTreePlugins.Registry, options, services);
    }

    [Fact]
    public void Build_WithoutSettings_ScoresWithKubeSchedulersDefaultWeights()
    {
        var weights = Build(new ProfileOptions()).Score.Select(s => (s.Plugin.Name, s.Weight));

        Assert.Equal([("TaintToleration", 3), ("NodeAffinity", 2), ("NodeResourcesFit", 1), ("PodTopologySpread", 2), ("InterPodAffinity", 2),
            ("NodeResourcesBalancedAllocation", 1)], weights);
    }

    [Fact]
    public void Build_PutsEachPluginAtTheExtensionPointsItImplements_InRegistryOrder()
    {
        var profile = Build(new ProfileOptions());

        Assert.Equal(["NodeAffinity", "NodePorts", "VolumeBinding", "PodTopologySpread", "InterPodAffinity"], profile.PreFilter.Select(p => p.Name));
        Assert.Equal(["NodeUnschedulable", "NodeName", "TaintToleration", "NodeAffinity", "NodePorts", "VolumeBinding", "NodeResourcesFit", "PodTopologySpread", "InterPodAffinity"],
            profile.Filter.Select(p => p.Name));
        Assert.Equal(["NodeAffinity", "PodTopologySpread", "InterPodAffinity"], profile.PreScore.Select(p => p.Name));
        Assert.Equal(["VolumeBinding"], profile.PreBind.Select(p => p.Name));
        Assert.Equal(["DefaultPreemption"], profile.PostFilter.Select(p => p.Name));
        Assert.Empty(profile.Bind);
    }

    [Fact]
    public void Build_DisabledPlugin_RunsNowhere_AndWeightZeroDropsOnlyTheScore()
    {
        var profile = Build(new ProfileOptions
        {
            Plugins = { ["NodeAffinity"] = new PluginSettings { Enabled = false }, ["TaintToleration"] = new PluginSettings { Weight = 0 } },
        });

        Assert.DoesNotContain(profile.PreFilter.Cast<IPlugin>().Concat(profile.Filter).Concat(profile.PreScore), p => p.Name == "NodeAffinity");
        Assert.Contains(profile.Filter, p => p.Name == "TaintToleration");
        Assert.DoesNotContain(profile.Score, s => s.Plugin.Name is "TaintToleration" or "NodeAffinity");
    }

    [Fact]
    public void Registry_SameNameTwice_IsRefused()
    {
        var registry = new PluginRegistry().Add<DefaultBinder>(DefaultBinder.PluginName);

        var e = Assert.Throws<InvalidOperationException>(() => registry.Add<DefaultBinder>(DefaultBinder.PluginName));
        Assert.Contains("DefaultBinder", e.Message);
    }
}
