namespace Platform.NodeAgent.Tests.Network;

public sealed class PodNetworkOptionsTests
{
    [Theory]
    [InlineData("10.244.3.0/24", "platform/pause:latest", null)]
    [InlineData("10.244.3.7/24", "platform/pause:latest", "NodeAgent:PodNetwork:PodCidr")]
    [InlineData("10.244.3.0/31", "platform/pause:latest", "NodeAgent:PodNetwork:PodCidr")]
    [InlineData("10.244.3.0/24", " ", "NodeAgent:PodNetwork:PauseImage")]
    public void Validator_ChecksThePodNetworkKeys(string cidr, string pause, string? key)
    {
        var o = new NodeAgentOptions { NodeName = "n", ApiServerUrl = "http://127.0.0.1:7070", Token = "t" };
        o.PodNetwork.PodCidr = cidr;
        o.PodNetwork.PauseImage = pause;
        var result = new NodeAgentOptionsValidator().Validate(null, o);
        if (key is null) Assert.True(result.Succeeded, result.FailureMessage);
        else Assert.Contains(result.Failures!, f => f.StartsWith(key + ":", StringComparison.Ordinal));
    }
}
