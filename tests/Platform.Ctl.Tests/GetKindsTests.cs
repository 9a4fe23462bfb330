using System.Text.Json.Nodes;
using Platform.Testing;
using Platform.Testing.ApiServer;

namespace Platform.Ctl.Tests;

[Collection(CtlCollection.Name)]
public sealed class GetKindsTests(PostgresFixture pg, KafkaFixture kafka)
{
    [Fact]
    public async Task GetPodsCommaDeployments_PrintsOneTablePerKind_AndJsonIsAV1List()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        var ctl = new CtlRunner(host);
        Assert.Equal(0, (await ctl.RunAsync($"apply -f {CtlRunner.Seed("deployment-httpd-frontend.yaml")}")).Exit);
        Assert.Equal(0, (await ctl.RunAsync($"apply -f {CtlRunner.Seed("pod-myapp-pod.yaml")}")).Exit);

        var table = await ctl.RunAsync("get pods,deployments");
        Assert.Equal(0, table.Exit);
        var blocks = table.Out.TrimEnd().Split("\n\n");
        Assert.Equal(2, blocks.Length);
        Assert.Matches(@"^NAME +READY +STATUS +RESTARTS +AGE\s*\npod/myapp-pod +0/1 +Pending +0 +\d+s", blocks[0]);
        Assert.Matches(@"^NAME +READY +UP-TO-DATE +AVAILABLE +AGE\s*\ndeployment\.apps/httpd-frontend +0/3 ", blocks[1]);

        var json = await ctl.RunAsync("get po,deploy -o json");
        var list = JsonNode.Parse(json.Out)!;
        Assert.Equal(("v1", "List"), ((string?)list["apiVersion"], (string?)list["kind"]));
        Assert.Equal([("Pod", "myapp-pod"), ("Deployment", "httpd-frontend")],
            list["items"]!.AsArray().Select(i => ((string)i!["kind"]!, (string)i["metadata"]!["name"]!)));

        var names = await ctl.RunAsync("get deployments,pods -o name");
        Assert.Equal(["deployment.apps/httpd-frontend", "pod/myapp-pod"], names.Out.Trim().Split('\n'));

        var one = await ctl.RunAsync("get pods,deployments myapp-pod -o name");
        Assert.Equal(1, one.Exit);
        Assert.Equal("pod/myapp-pod", one.Out.Trim());
        Assert.Contains("deployments.apps \"myapp-pod\" not found", one.Err);

        var watch = await ctl.RunAsync("get pods,deployments -w");
        Assert.Equal(1, watch.Exit);
        Assert.Contains("single resource type", watch.Err);
    }
}
