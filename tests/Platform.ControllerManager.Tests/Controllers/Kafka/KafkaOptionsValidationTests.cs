namespace Platform.ControllerManager.Tests.Controllers.Kafka;

/// <summary>The connector controller's settings are checked at start, naming the key.</summary>
public sealed class KafkaOptionsValidationTests
{
    [Theory]
    [InlineData(null, "00:00:10", null)]
    [InlineData("http://u:p@127.0.0.1:8083", "00:00:10", null)]
    [InlineData("127.0.0.1:8083", "00:00:10", "ControllerManager:ConnectUrl")]
    [InlineData("ftp://127.0.0.1/", "00:00:10", "ControllerManager:ConnectUrl")]
    [InlineData(null, "00:00:00.010", "ControllerManager:KafkaConnectorStatusPeriod")]
    public void ConnectSettings_AreValidated_NamingTheKey(string? url, string period, string? key)
    {
        var o = new ControllerManagerOptions { ApiServerUrl = "http://127.0.0.1:7070", Token = "t", GroupId = "g", ConnectUrl = url, KafkaConnectorStatusPeriod = TimeSpan.Parse(period, System.Globalization.CultureInfo.InvariantCulture) };
        o.LeaderElection.Identity = "cm-1";
        var result = new ControllerManagerOptionsValidator().Validate(null, o);
        if (key is null) Assert.True(result.Succeeded, result.FailureMessage);
        else Assert.Contains(result.Failures!, f => f.StartsWith(key + ":", StringComparison.Ordinal));
    }
}
