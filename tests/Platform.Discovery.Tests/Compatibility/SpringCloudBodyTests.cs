using System.Net;
using System.Text;
using Platform.Discovery.Tests.Infrastructure;

namespace Platform.Discovery.Tests.Compatibility;

/// <summary>Requests in the exact shape Spring Cloud Netflix's Eureka client (Jackson codec) sends them.</summary>
public sealed class SpringCloudBodyTests
{
    private const string SpringRegistration = """
        {"instance":{"instanceId":"desktop:user-service:0","app":"USER-SERVICE","appGroupName":null,"ipAddr":"127.0.0.1",
        "sid":"na","homePageUrl":"http://127.0.0.1:54321/","statusPageUrl":"http://127.0.0.1:54321/actuator/info",
        "healthCheckUrl":"http://127.0.0.1:54321/actuator/health","secureHealthCheckUrl":null,"vipAddress":"user-service",
        "secureVipAddress":"user-service","countryId":1,
        "dataCenterInfo":{"@class":"com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo","name":"MyOwn"},
        "hostName":"127.0.0.1","status":"UP","overriddenStatus":"UNKNOWN",
        "leaseInfo":{"renewalIntervalInSecs":30,"durationInSecs":90,"registrationTimestamp":0,"lastRenewalTimestamp":0,
        "evictionTimestamp":0,"serviceUpTimestamp":0},"isCoordinatingDiscoveryServer":false,
        "metadata":{"management.port":"54321"},"lastUpdatedTimestamp":1700000000000,"lastDirtyTimestamp":1700000000000,
        "actionType":null,"asgName":null,"port":{"$":54321,"@enabled":"true"},"securePort":{"$":443,"@enabled":"false"}}}
        """;

    [Fact]
    public async Task SpringCloudRegistration_HeartbeatAndFetch_Work()
    {
        await using var server = await TestDiscoveryServer.StartAsync();
        using var client = server.Client();
        using (var r = await client.PostAsync("apps/USER-SERVICE", new StringContent(SpringRegistration, Encoding.UTF8, "application/json")))
            Assert.Equal(HttpStatusCode.NoContent, r.StatusCode);
        using (var r = await client.PutAsync("apps/USER-SERVICE/desktop:user-service:0?status=UP&lastDirtyTimestamp=1700000000000", null))
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);

        var instance = (await Eureka.GetJsonAsync(client, "apps/USER-SERVICE/desktop:user-service:0"))["instance"]!;
        Assert.Equal(54321, instance["port"]!["$"]!.GetValue<int>());
        Assert.Equal("54321", instance["metadata"]!["management.port"]!.GetValue<string>());
        Assert.Equal("1700000000000", instance["lastDirtyTimestamp"]!.GetValue<string>());
        Assert.Equal("http://127.0.0.1:54321/actuator/health", instance["healthCheckUrl"]!.GetValue<string>());
        Assert.Null(instance["secureHealthCheckUrl"]);
        Assert.Null(instance["asgName"]);
    }
}
