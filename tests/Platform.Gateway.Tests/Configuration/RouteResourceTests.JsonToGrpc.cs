using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Platform.Gateway.Tests.Filters.Grpc;
using Platform.Testing;

namespace Platform.Gateway.Tests.Configuration;

public sealed partial class RouteResourceTests
{
    private static JsonObject GrpcRoute(string uri, JsonObject args) => new()
    {
        ["apiVersion"] = "gateway.platform.io/v1",
        ["kind"] = "Route",
        ["metadata"] = new JsonObject { ["name"] = "hello", ["namespace"] = "team-a" },
        ["spec"] = new JsonObject
        {
            ["uri"] = uri,
            ["predicates"] = new JsonArray("Path=/hello/**"),
            ["filters"] = new JsonArray(new JsonObject { ["name"] = "JsonToGrpc", ["args"] = args }),
        },
    };

    [Fact]
    public async Task JsonToGrpc_MissingMethodIs422_AMissingDescriptorIsNotAccepted_ThePreviousVersionServes()
    {
        await using var backend = await GrpcBackend.StartAsync();
        await using var cluster = await StartAsync();

        // Admission: the shared schema knows which arguments are required.
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => cluster.ApplyAsync(GrpcRoute(backend.Url,
            new JsonObject { ["protoDescriptor"] = "file:/x.pb", ["service"] = "HelloService" })));
        Assert.Contains("422", refused.Message, StringComparison.Ordinal);
        Assert.Contains("filter JsonToGrpc", refused.Message, StringComparison.Ordinal);
        Assert.Contains("method", refused.Message, StringComparison.Ordinal);

        // A team's Route reads descriptor sets from Gateway:JsonToGrpc:DescriptorDirectory, relative paths included.
        var good = GrpcRoute(backend.Url, new JsonObject { ["protoDescriptor"] = "file:hello.pb", ["service"] = "HelloService", ["method"] = "hello" });
        await cluster.ApplyAsync(good);
        Assert.Equal("""{"greeting":"Hello, Ann "}""", await GreetingAsync(cluster));

        // The descriptor file is on the gateway's disk: only the gateway can tell it is missing, in the Route's status;
        // the version before keeps serving.
        var missing = $"no-such-{Guid.NewGuid():N}.pb";
        await cluster.ApplyAsync(GrpcRoute(backend.Url, new JsonObject { ["protoDescriptor"] = "file:" + missing, ["service"] = "HelloService", ["method"] = "hello" }));
        var status = await StatusWhenAsync(cluster, "hello", s => (long?)Condition(s, "Accepted")?["observedGeneration"] == 2);
        Assert.Equal(("False", "Invalid"), ((string?)Condition(status, "Accepted")!["status"], (string?)Condition(status, "Accepted")!["reason"]));
        Assert.Contains($"JsonToGrpc argument 'protoDescriptor': 'file:{missing}': no such file", (string?)Condition(status, "Accepted")!["message"], StringComparison.Ordinal);
        Assert.Equal("""{"greeting":"Hello, Ann "}""", await GreetingAsync(cluster));

        // Outside the directory (a file that exists, and one that does not) the answer is the same: nothing is looked at.
        foreach (var (outside, generation) in new[] { ("/etc/hostname", 3L), ("../../no-such.pb", 4L) })
        {
            await cluster.ApplyAsync(GrpcRoute(backend.Url, new JsonObject { ["protoDescriptor"] = outside, ["service"] = "HelloService", ["method"] = "hello" }));
            status = await StatusWhenAsync(cluster, "hello", s => (long?)Condition(s, "Accepted")?["observedGeneration"] == generation);
            Assert.Contains($"'{outside}': a Route of a namespace may name only descriptor sets inside Gateway:JsonToGrpc:DescriptorDirectory",
                (string?)Condition(status, "Accepted")!["message"], StringComparison.Ordinal);
        }
        Assert.Equal("""{"greeting":"Hello, Ann "}""", await GreetingAsync(cluster));
    }

    [Fact]
    public async Task ARouteWhoseFirstVersionIsRefused_StillGetsAStatusSayingWhy()
    {
        await using var backend = await GrpcBackend.StartAsync();
        await using var cluster = await StartAsync();

        // Never taken by the gateway, so not in its informer: the status is written from the apiserver's copy.
        var missing = $"no-such-{Guid.NewGuid():N}.pb";
        await cluster.ApplyAsync(GrpcRoute(backend.Url, new JsonObject { ["protoDescriptor"] = "file:" + missing, ["service"] = "HelloService", ["method"] = "hello" }));
        var status = await StatusWhenAsync(cluster, "hello", s => (long?)Condition(s, "Accepted")?["observedGeneration"] == 1);
        Assert.Equal(("False", "Invalid"), ((string?)Condition(status, "Accepted")!["status"], (string?)Condition(status, "Accepted")!["reason"]));
        Assert.StartsWith("not built: ", (string?)Condition(status, "Accepted")!["message"], StringComparison.Ordinal);
        Assert.Contains($"'file:{missing}': no such file", (string?)Condition(status, "Accepted")!["message"], StringComparison.Ordinal);
        Assert.Equal(("False", "Pending"), ((string?)Condition(status, "Programmed")!["status"], (string?)Condition(status, "Programmed")!["reason"]));

        // Fixed: taken, accepted and served.
        await cluster.ApplyAsync(GrpcRoute(backend.Url, new JsonObject { ["protoDescriptor"] = "file:hello.pb", ["service"] = "HelloService", ["method"] = "hello" }));
        Assert.Equal("""{"greeting":"Hello, Ann "}""", await GreetingAsync(cluster));
        status = await StatusWhenAsync(cluster, "hello", s => (string?)Condition(s, "Programmed")?["status"] == "True");
        Assert.Equal("True", (string?)Condition(status, "Accepted")!["status"]);
    }

    private static Task<string> GreetingAsync(Cluster cluster) => Eventually.WaitAsync(async () =>
    {
        using var r = await cluster.Gateway.Client.PostAsync("/hello/x", new StringContent("""{"firstName":"Ann"}""", Encoding.UTF8, "application/json"));
        return r.StatusCode == HttpStatusCode.OK ? await r.Content.ReadAsStringAsync() : null;
    }, TimeSpan.FromSeconds(20), "the JsonToGrpc route");
}
