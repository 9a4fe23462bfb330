namespace Platform.Scheduler.Tests;

public sealed class SchedulerOptionsValidatorTests
{
    private static SchedulerOptions Valid() => new()
    {
        ApiServerUrl = "http://127.0.0.1:7070",
        Token = "t",
        ConsumerGroup = "g",
        LeaderElection = { ConnectionString = "Host=127.0.0.1" },
    };

    [Fact]
    public void Validate_EveryRegisteredPluginName_IsAccepted()
    {
        var options = Valid();
        foreach (var name in InTreePlugins.Registry.Names) options.Profile.Plugins[name] = new PluginSettings { Weight = 5 };

        var result = new SchedulerOptionsValidator(InTreePlugins.Registry).Validate(null, options);

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void Validate_UnknownPluginName_IsRejectedWithItsKeyAndTheKnownNames()
    {
        var options = Valid();
        options.Profile.Plugins["NodeAfinity"] = new PluginSettings { Weight = 2 };

        var result = new SchedulerOptionsValidator(InTreePlugins.Registry).Validate(null, options);

        var error = Assert.Single(result.Failures!);
        Assert.Equal("Scheduler:Profile:Plugins:NodeAfinity: unknown plugin (known: NodeUnschedulable, NodeName, TaintToleration, NodeAffinity, "
            + "NodePorts, VolumeBinding, NodeResourcesFit, PodTopologySpread, InterPodAffinity, NodeResourcesBalancedAllocation, DefaultPreemption, DefaultBinder)", error);
    }
}
