using System.Net;
using Microsoft.Extensions.Options;
using Platform.ControllerManager.Controllers.NodeIpam;

namespace Platform.ControllerManager.Tests.Controllers;

public sealed class CidrSetTests
{
    [Fact]
    public void AllocateNext_HandsOutEverySubnetOnce_SkipsOccupiedOnes_AndReusesReleasedOnes()
    {
        var set = new CidrSet(IPNetwork.Parse("10.244.0.0/22"), 24);
        Assert.True(set.Occupy("10.244.1.0/24"));
        Assert.Equal(["10.244.0.0/24", "10.244.2.0/24", "10.244.3.0/24"], [set.AllocateNext()!, set.AllocateNext()!, set.AllocateNext()!]);
        Assert.Null(set.AllocateNext());
        Assert.True(set.Release("10.244.2.0/24"));
        Assert.Equal("10.244.2.0/24", set.AllocateNext());
        Assert.False(set.Occupy("10.245.0.0/24"));
        Assert.False(set.Occupy("10.244.0.0/25"));
    }

    [Theory]
    [InlineData("10.244.0.0/16", 24, null)]
    [InlineData("10.244.0.1/16", 24, "ControllerManager:ClusterCidr")]
    [InlineData("fd00::/48", 64, "ControllerManager:ClusterCidr")]
    [InlineData("10.244.0.0/16", 12, "ControllerManager:NodeCidrMaskSize")]
    [InlineData("10.244.0.0/16", 31, "ControllerManager:NodeCidrMaskSize")]
    public void Validator_ChecksTheIpamKeys(string cidr, int mask, string? key)
    {
        var o = new ControllerManagerOptions { ApiServerUrl = "http://127.0.0.1:7070", Token = "t", GroupId = "g", ClusterCidr = cidr, NodeCidrMaskSize = mask };
        o.LeaderElection.Identity = "cm-1";
        var result = new ControllerManagerOptionsValidator().Validate(null, o);
        if (key is null) Assert.True(result.Succeeded, result.FailureMessage);
        else Assert.Contains(result.Failures!, f => f.StartsWith(key + ":", StringComparison.Ordinal));
    }
}
