using System.Text.Json.Nodes;
using Platform.Testing;
using Platform.Testing.ApiServer;

namespace Platform.Ctl.Tests;

[Collection(CtlCollection.Name)]
public sealed class CommandTests(PostgresFixture pg, KafkaFixture kafka)
{
    [Fact]
    public async Task GetJsonAndYaml_Scale_Describe_Delete_LabelSelector()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        var ctl = new CtlRunner(host);
        Assert.Equal(0, (await ctl.RunAsync($"apply -f {CtlRunner.Seed("deployment-httpd-frontend.yaml")}")).Exit);
        Assert.Equal(0, (await ctl.RunAsync($"apply -f {CtlRunner.Seed("pod-myapp-pod.yaml")}")).Exit);
        Assert.Equal(0, (await ctl.RunAsync($"apply -f {CtlRunner.Seed("pod-my-pod1.yaml")}")).Exit);

        var json = await ctl.RunAsync("get deploy httpd-frontend -o json");
        Assert.Equal(3, (int)JsonNode.Parse(json.Out)!["spec"]!["replicas"]!);
        var scaled = await ctl.RunAsync("scale deployment httpd-frontend --replicas=5");
        Assert.Equal("deployment.apps/httpd-frontend scaled", scaled.Out.Trim());
        var yaml = await ctl.RunAsync("get deployment httpd-frontend -o yaml");
        Assert.Contains("replicas: 5", yaml.Out);
        Assert.Contains("kind: Deployment", yaml.Out);

        using (var admin = host.AdminClient())
            await admin.PostAsync("/api/v1/namespaces/default/events", Http.Yaml("""
                apiVersion: v1
                kind: Event
                metadata: {name: myapp-pod.1}
                involvedObject: {kind: Pod, name: myapp-pod, namespace: default}
                reason: Scheduled
                message: Successfully assigned default/myapp-pod to node-1
                source: {component: scheduler}
                """)).ExpectAsync(201);
        var describe = await ctl.RunAsync("describe pod myapp-pod");
        Assert.Equal(0, describe.Exit);
        Assert.Contains("Name:               myapp-pod", describe.Out);
        Assert.Contains("app=myapp", describe.Out);
        Assert.Matches("Normal +Scheduled +\\S+ +scheduler +Successfully assigned default/myapp-pod to node-1", describe.Out);

        var selected = await ctl.RunAsync("get pods -l \"type in (front-end),app\" -o name");
        Assert.Equal("pod/myapp-pod", selected.Out.Trim());
        var deleted = await ctl.RunAsync("delete pod myapp-pod my-pod1");
        Assert.Equal(["pod \"myapp-pod\" deleted", "pod \"my-pod1\" deleted"], deleted.Out.Trim().Split('\n'));
        var missing = await ctl.RunAsync("get pod myapp-pod");
        Assert.Equal(1, missing.Exit);
        Assert.Contains("not found", missing.Err);
        var unknown = await ctl.RunAsync("get widgets");
        Assert.Contains("doesn't have a resource type \"widgets\"", unknown.Err);
    }

    [Fact]
    public async Task ConfigContexts_AndCreatedTokens_DecideWhoIsCalling()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        var admin = new CtlRunner(host);
        var token = (await admin.RunAsync("create token reader --role viewer")).Out.Trim();
        Assert.StartsWith("plt_", token);

        var ctl = new CtlRunner(host);
        Assert.Equal(0, (await ctl.RunAsync($"config set-context local --server {host.BaseAddress} --token {host.AdminToken}", useEnv: false)).Exit);
        Assert.Equal(0, (await ctl.RunAsync($"config set-context viewer --server {host.BaseAddress} --token {token} --namespace default", useEnv: false)).Exit);
        Assert.Equal("local", (await ctl.RunAsync("config current-context", useEnv: false)).Out.Trim());
        Assert.Equal(0, (await ctl.RunAsync("create namespace from-context", useEnv: false)).Exit);
        Assert.Equal(0, (await ctl.RunAsync("config use-context viewer", useEnv: false)).Exit);
        var denied = await ctl.RunAsync("create namespace not-allowed", useEnv: false);
        Assert.Equal(1, denied.Exit);
        Assert.Contains("Forbidden", denied.Err);
        var list = await ctl.RunAsync("get ns", useEnv: false);
        Assert.Contains("from-context", list.Out);
        var contexts = await ctl.RunAsync("config get-contexts", useEnv: false);
        Assert.Matches("CURRENT +NAME +SERVER +NAMESPACE", contexts.Out);
        Assert.Matches("\\* +viewer ", contexts.Out);
        var view = await ctl.RunAsync("config view", useEnv: false);
        Assert.DoesNotContain(token, view.Out);
        Assert.DoesNotContain(host.AdminToken, view.Out);
    }
}
