using System.Text;
using Platform.Discovery.Tests.Infrastructure;
using Platform.Testing.Fuzz;

namespace Platform.Discovery.Tests.Fuzz;

/// <summary>
/// What Eureka clients and peers send the registry, in JSON (Spring Cloud's Jackson codec, eureka-js-client, our peers)
/// or XML (the Java client's default codec), bent by the shared <see cref="Mutator"/>. Requests go to instances the
/// suite registered first, so heartbeats and status overrides reach the registry instead of stopping at 404.
/// </summary>
internal sealed class EurekaCorpus(bool xml)
{
    public static readonly (string App, string Id)[] Registered = [("ORDERS", "orders-1"), ("ORDERS", "orders-2"), ("USER-SERVICE", "desktop:user-service:0")];

    private const string SpringRegistration = """
        {"instance":{"instanceId":"desktop:user-service:0","app":"USER-SERVICE","appGroupName":null,"ipAddr":"127.0.0.1","sid":"na",
        "homePageUrl":"http://127.0.0.1:54321/","statusPageUrl":"http://127.0.0.1:54321/actuator/info","healthCheckUrl":"http://127.0.0.1:54321/actuator/health",
        "secureHealthCheckUrl":null,"vipAddress":"user-service","secureVipAddress":"user-service","countryId":1,
        "dataCenterInfo":{"@class":"com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo","name":"MyOwn"},"hostName":"127.0.0.1","status":"UP",
        "overriddenStatus":"UNKNOWN","leaseInfo":{"renewalIntervalInSecs":30,"durationInSecs":90,"registrationTimestamp":0,"lastRenewalTimestamp":0,
        "evictionTimestamp":0,"serviceUpTimestamp":0},"isCoordinatingDiscoveryServer":false,"metadata":{"management.port":"54321"},
        "lastUpdatedTimestamp":1700000000000,"lastDirtyTimestamp":1700000000000,"actionType":null,"asgName":null,
        "port":{"$":54321,"@enabled":"true"},"securePort":{"$":443,"@enabled":"false"}}}
        """;

    private const string XmlRegistration = """
        <instance><instanceId>orders-1</instanceId><hostName>127.0.0.1</hostName><app>ORDERS</app><ipAddr>127.0.0.1</ipAddr>
        <status>STARTING</status><port enabled="true">7070</port><securePort enabled="false">7443</securePort>
        <dataCenterInfo class="com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo"><name>MyOwn</name></dataCenterInfo>
        <leaseInfo><renewalIntervalInSecs>10</renewalIntervalInSecs><durationInSecs>20</durationInSecs></leaseInfo>
        <metadata><zone>z1</zone></metadata><vipAddress>orders</vipAddress><lastDirtyTimestamp>1700000000000</lastDirtyTimestamp></instance>
        """;

    private static string JsonBatch() => $$"""
        {"replicationList":[
        {"appName":"ORDERS","id":"orders-1","lastDirtyTimestamp":"1700000000000","status":"UP","overriddenStatus":"UNKNOWN","action":"Heartbeat"},
        {"appName":"ORDERS","id":"orders-2","lastDirtyTimestamp":"1700000000000","status":"OUT_OF_SERVICE","overriddenStatus":"OUT_OF_SERVICE","action":"StatusUpdate"},
        {"appName":"ORDERS","id":"orders-3","lastDirtyTimestamp":"1700000000000","action":"Register","instanceInfo":{{Eureka.Instance("orders", "orders-3")["instance"]!.ToJsonString()}}},
        {"appName":"ORDERS","id":"orders-3","action":"Cancel"},
        {"appName":"ORDERS","id":"orders-2","lastDirtyTimestamp":"1700000000000","status":"UNKNOWN","action":"DeleteStatusOverride"}]}
        """;

    private const string XmlBatch = """
        <replicationList><replicationList><appName>ORDERS</appName><id>orders-1</id><lastDirtyTimestamp>1700000000000</lastDirtyTimestamp>
        <status>UP</status><overriddenStatus>UNKNOWN</overriddenStatus><action>Heartbeat</action></replicationList>
        <replicationList><appName>ORDERS</appName><id>orders-2</id><action>Cancel</action></replicationList></replicationList>
        """;

    private static readonly string[] Statuses = ["UP", "DOWN", "STARTING", "OUT_OF_SERVICE", "UNKNOWN"];

    public FuzzRequest Next(Mutator m)
    {
        var (app, id) = m.Pick(Registered);
        var dirty = "1700000000" + m.Digits(3);
        return m.Next(10) switch
        {
            0 or 1 => Register(m, app),
            2 => new FuzzRequest(m.Method("PUT"), m.Path("eureka", "apps", app, id) + m.Query(("status", m.Pick(Statuses)), ("lastDirtyTimestamp", dirty), ("overriddenstatus", "UNKNOWN"))) { Label = "heartbeat" },
            3 => new FuzzRequest(m.Method(m.Pick("PUT", "DELETE")), m.Path("eureka", "apps", app, id, "status") + m.Query(("value", m.Pick(Statuses)), ("lastDirtyTimestamp", dirty))) { Label = "status" },
            4 => new FuzzRequest(m.Method("PUT"), m.Path("eureka", "apps", app, id, "metadata") + m.Query(("zone", "z1"), ("management.port", "8081"))) { Label = "metadata" },
            5 => Batch(m),
            6 => new FuzzRequest(m.Method("DELETE"), m.Path("eureka", "apps", app, "orders-" + m.Next(3, 9))) { Label = "cancel" },
            _ => Read(m, app, id),
        };
    }

    private FuzzRequest Register(Mutator m, string app)
    {
        var target = m.OneIn(3) ? m.Path("eureka", "apps", app) : "/eureka/apps/" + app;
        var request = new FuzzRequest(m.Method("POST"), target) { Label = xml ? "register-xml" : "register-json" };
        if (xml) return request.WithBody(m.XmlBody(XmlRegistration), m.ContentType("application/xml"));
        var body = m.OneIn(2) ? SpringRegistration : Eureka.Instance(app, "orders-" + m.Next(1, 9)).ToJsonString();
        return request.WithBody(m.JsonBody(body), m.ContentType("application/json"));
    }

    private FuzzRequest Batch(Mutator m)
    {
        var request = new FuzzRequest("POST", "/eureka/peerreplication/batch") { Label = xml ? "batch-xml" : "batch-json" }
            .WithHeader("x-netflix-discovery-replication", m.OneIn(4) ? m.HeaderValue("true") : "true");
        return xml ? request.WithBody(m.XmlBody(XmlBatch), m.ContentType("application/xml")) : request.WithBody(m.JsonBody(JsonBatch()), m.ContentType("application/json"));
    }

    private FuzzRequest Read(Mutator m, string app, string id)
    {
        var target = m.Next(9) switch
        {
            0 => "/eureka/apps" + (m.OneIn(2) ? "" : m.Query(("regions", "us-east-1"))),
            1 => "/eureka/apps/delta",
            2 => m.Path("eureka", "apps", app),
            3 => m.Path("eureka", "apps", app, id),
            4 => m.Path("eureka", "instances", id),
            5 => m.Path("eureka", "vips", app.ToLowerInvariant()),
            6 => m.Path("eureka", "svips", app.ToLowerInvariant()),
            7 => m.Pick("/", "/eureka/server/state") + (m.OneIn(2) ? "" : m.Query(("refresh", "true"))),
            _ => m.Path("eureka", m.Pick("apps", "instances", "vips", "peerreplication", "server"), m.WeirdScalar()),
        };
        var request = new FuzzRequest(m.Method("GET"), target) { Label = "read" };
        request = request.WithHeader("Accept", m.OneIn(3) ? m.Accept() : xml ? "application/xml" : "application/json");
        if (m.OneIn(3)) request = request.WithHeader("Accept-Encoding", m.Pick("gzip", "gzip, deflate", "br", "identity;q=0", "*"));
        if (m.OneIn(8)) request = request.WithBody(Encoding.UTF8.GetBytes("{}"), "application/json");
        return request;
    }
}
