using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Platform.Discovery.Tests.Infrastructure;

namespace Platform.Discovery.Tests.Api;

public sealed class EurekaDocumentShapeTests
{
    [Fact]
    public async Task FullFetch_Json_HasEurekaShape()
    {
        await using var server = await TestDiscoveryServer.StartAsync();
        using var client = server.Client();
        await Eureka.RegisterAsync(client, "my-first-service", "host:my-first-service:8081", 8081);

        var doc = await Eureka.GetJsonAsync(client, "apps/");
        var apps = doc["applications"]!.AsObject();
        Assert.IsType<string>(apps["versions__delta"]!.GetValue<string>());
        Assert.Equal("UP_1_", apps["apps__hashcode"]!.GetValue<string>());
        var app = Assert.Single(apps["application"]!.AsArray())!.AsObject();
        Assert.Equal("MY-FIRST-SERVICE", app["name"]!.GetValue<string>());
        var instance = Assert.Single(app["instance"]!.AsArray())!.AsObject();
        Assert.Equal("host:my-first-service:8081", instance["instanceId"]!.GetValue<string>());
        Assert.Equal("MY-FIRST-SERVICE", instance["app"]!.GetValue<string>());
        Assert.Equal("UP", instance["status"]!.GetValue<string>());
        Assert.Equal("UNKNOWN", instance["overriddenStatus"]!.GetValue<string>());
        Assert.Equal(8081, instance["port"]!["$"]!.GetValue<int>());
        Assert.Equal("true", instance["port"]!["@enabled"]!.GetValue<string>());
        Assert.Equal("false", instance["securePort"]!["@enabled"]!.GetValue<string>());
        Assert.Equal("com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo", instance["dataCenterInfo"]!["@class"]!.GetValue<string>());
        Assert.Equal("MyOwn", instance["dataCenterInfo"]!["name"]!.GetValue<string>());
        Assert.Equal(30, instance["leaseInfo"]!["renewalIntervalInSecs"]!.GetValue<int>());
        Assert.Equal(90, instance["leaseInfo"]!["durationInSecs"]!.GetValue<int>());
        Assert.True(instance["leaseInfo"]!["registrationTimestamp"]!.GetValue<long>() > 0);
        Assert.Equal("java.util.Collections$EmptyMap", instance["metadata"]!["@class"]!.GetValue<string>());
        Assert.True(long.Parse(instance["lastUpdatedTimestamp"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.IsType<string>(instance["lastDirtyTimestamp"]!.GetValue<string>());
        Assert.Equal("false", instance["isCoordinatingDiscoveryServer"]!.GetValue<string>());
        Assert.Equal("ADDED", instance["actionType"]!.GetValue<string>());
        Assert.Equal("my-first-service", instance["vipAddress"]!.GetValue<string>());
    }

    [Fact]
    public async Task FullFetch_EmptyRegistry_ApplicationIsEmptyArray()
    {
        await using var server = await TestDiscoveryServer.StartAsync();
        using var client = server.Client();
        var doc = await Eureka.GetJsonAsync(client, "apps");
        Assert.Empty(doc["applications"]!["application"]!.AsArray());
        Assert.Equal("", doc["applications"]!["apps__hashcode"]!.GetValue<string>());
    }

    [Fact]
    public async Task FullFetch_WithoutJsonAccept_IsEurekaXml()
    {
        await using var server = await TestDiscoveryServer.StartAsync();
        using var client = server.Client(json: false);
        await Eureka.RegisterAsync(client, "orders", "orders-1", 9000);

        using var response = await client.GetAsync("apps");
        Assert.Equal("application/xml", response.Content.Headers.ContentType!.MediaType);
        var xml = XElement.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("applications", xml.Name.LocalName);
        Assert.Equal("UP_1_", xml.Element("apps__hashcode")!.Value);
        var instance = xml.Element("application")!.Element("instance")!;
        Assert.Equal("ORDERS", xml.Element("application")!.Element("name")!.Value);
        Assert.Equal("9000", instance.Element("port")!.Value);
        Assert.Equal("true", instance.Element("port")!.Attribute("enabled")!.Value);
        Assert.Equal("UNKNOWN", instance.Element("overriddenstatus")!.Value);
        Assert.Equal("com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo", instance.Element("dataCenterInfo")!.Attribute("class")!.Value);
        Assert.Equal("90", instance.Element("leaseInfo")!.Element("durationInSecs")!.Value);
    }

    [Fact]
    public async Task Register_XmlBody_IsAccepted()
    {
        await using var server = await TestDiscoveryServer.StartAsync();
        using var client = server.Client();
        const string body = """
            <instance><instanceId>xml-1</instanceId><hostName>127.0.0.1</hostName><app>XMLAPP</app><ipAddr>127.0.0.1</ipAddr>
            <status>STARTING</status><port enabled="true">7070</port><securePort enabled="false">7443</securePort>
            <dataCenterInfo class="com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo"><name>MyOwn</name></dataCenterInfo>
            <leaseInfo><renewalIntervalInSecs>10</renewalIntervalInSecs><durationInSecs>20</durationInSecs></leaseInfo>
            <metadata><zone>z1</zone></metadata><vipAddress>xmlapp</vipAddress></instance>
            """;
        using var response = await client.PostAsync("apps/xmlapp", new StringContent(body, Encoding.UTF8, "application/xml"));
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);

        var instance = (await Eureka.GetJsonAsync(client, "apps/XMLAPP/xml-1"))["instance"]!;
        Assert.Equal("STARTING", instance["status"]!.GetValue<string>());
        Assert.Equal(7070, instance["port"]!["$"]!.GetValue<int>());
        Assert.Equal(7443, instance["securePort"]!["$"]!.GetValue<int>());
        Assert.Equal(20, instance["leaseInfo"]!["durationInSecs"]!.GetValue<int>());
        Assert.Equal("z1", instance["metadata"]!["zone"]!.GetValue<string>());
    }

    [Fact]
    public async Task Lookups_ByAppInstanceVipAndSvip_FindTheInstance_WithDecodedIdAndUpperCaseApp()
    {
        await using var server = await TestDiscoveryServer.StartAsync();
        using var client = server.Client();
        using (var r = await client.PostAsync("apps/payments", Eureka.Json(Eureka.Instance("payments", "pay/1", vip: "pay-vip"))))
            Assert.Equal(HttpStatusCode.NoContent, r.StatusCode);

        var app = await Eureka.GetJsonAsync(client, "apps/payments");
        Assert.Equal("PAYMENTS", app["application"]!["name"]!.GetValue<string>());
        Assert.Single(app["application"]!["instance"]!.AsArray());
        Assert.Equal("pay/1", (await Eureka.GetJsonAsync(client, "apps/Payments/pay%2F1"))["instance"]!["instanceId"]!.GetValue<string>());
        Assert.Equal("PAYMENTS", (await Eureka.GetJsonAsync(client, "instances/pay%2F1"))["instance"]!["app"]!.GetValue<string>());
        Assert.Single(Eureka.Instances(await Eureka.GetJsonAsync(client, "vips/pay-vip")));
        Assert.Single(Eureka.Instances(await Eureka.GetJsonAsync(client, "svips/PAY-VIP")));
        Assert.Empty(Eureka.Instances(await Eureka.GetJsonAsync(client, "vips/other")));
        using var missing = await client.GetAsync("apps/nothing-here");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task FullFetch_AcceptingGzip_IsCompressed()
    {
        await using var server = await TestDiscoveryServer.StartAsync();
        using var client = server.Client();
        await Eureka.RegisterAsync(client, "zipped", "z-1");
        using var request = new HttpRequestMessage(HttpMethod.Get, "apps/");
        request.Headers.AcceptEncoding.ParseAdd("gzip");
        using var response = await client.SendAsync(request);
        Assert.Contains("gzip", response.Content.Headers.ContentEncoding);
        await using var unzip = new GZipStream(await response.Content.ReadAsStreamAsync(), CompressionMode.Decompress);
        var doc = JsonNode.Parse(unzip)!;
        Assert.Equal("z-1", Assert.Single(Eureka.Instances(doc.AsObject()))["instanceId"]!.GetValue<string>());
    }
}
