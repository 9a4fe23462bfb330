using Platform.Testing;
using Platform.Testing.ApiServer;

namespace Platform.Ctl.Tests;

[Collection(CtlCollection.Name)]
public sealed class SeedDocumentTests(PostgresFixture pg, KafkaFixture kafka)
{
    private static readonly string[] Workloads =
    [
        "pod-myapp-pod.yaml", "pod-my-pod1.yaml", "pod-my-app-pod.yaml", "replicaset-myapp-rc.yaml",
        "deployment-httpd-frontend.yaml", "service-myapp-service.yaml", "service-back-end.yaml",
    ];

    [Fact]
    public async Task Apply_SeedPodReplicaSetDeploymentServiceYaml_AsWritten_ThenGetShowsThemInAlignedTables()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        var ctl = new CtlRunner(host);
        foreach (var file in Workloads)
        {
            var (exit, output, error) = await ctl.RunAsync($"apply -f {CtlRunner.Seed(file)}");
            Assert.True(exit == 0, $"{file}: {error}");
            Assert.EndsWith(" created", output.Trim());
            if (file == "pod-my-app-pod.yaml")
            {
                // The notes' typos are accepted as Kubernetes does, but reported.
                Assert.Contains("Warning: unknown field \"metadata.namepsace\"", error);
                Assert.Contains("Warning: unknown field \"spec.containers[0].port\"", error);
            }
            if (file == "replicaset-myapp-rc.yaml") Assert.Contains("moved to spec.template.spec.containers", error);
        }

        var pods = await ctl.RunAsync("get pods");
        Assert.Equal(0, pods.Exit);
        var lines = pods.Out.TrimEnd().Split('\n').Select(l => l.TrimEnd()).ToArray();
        Assert.Matches("^NAME +READY +STATUS +RESTARTS +AGE$", lines[0]);
        Assert.Equal(["my-app-pod", "my-pod1", "myapp-pod"], lines.Skip(1).Select(l => l.Split(' ')[0]));
        var statusColumn = lines[0].IndexOf("STATUS", StringComparison.Ordinal);
        Assert.All(lines.Skip(1), l => Assert.Equal("Pending", l[statusColumn..].Split(' ')[0]));
        Assert.Contains(lines, l => l.StartsWith("my-pod1", StringComparison.Ordinal) && l.Contains(" 0/2 ", StringComparison.Ordinal));

        var deploy = await ctl.RunAsync("get deployments");
        Assert.Matches("NAME +READY +UP-TO-DATE +AVAILABLE +AGE", deploy.Out);
        Assert.Matches("httpd-frontend +0/3 +0 +0 ", deploy.Out);
        var rs = await ctl.RunAsync("get rs -o wide");
        Assert.Matches("myapp-rc +3 +0 +0 ", rs.Out);
        var svc = await ctl.RunAsync("get svc -o wide");
        Assert.Matches("NAME +TYPE +CLUSTER-IP +EXTERNAL-IP +PORT\\(S\\) +AGE +SELECTOR", svc.Out);
        Assert.Matches("myapp-service +NodePort +10\\.96\\.\\d+\\.\\d+ +<none> +80:30008/TCP +\\S+ +app=myapp,type=front-end", svc.Out);
        Assert.Matches("back-end +ClusterIP +10\\.96\\.\\d+\\.\\d+ +<none> +80/TCP", svc.Out);

        // The ReplicaSet's template was written without spec: and without labels; it is stored in canonical form.
        var yaml = await ctl.RunAsync("get replicaset myapp-rc -o yaml");
        Assert.Contains("nginx:latest", yaml.Out);
        Assert.Contains("type: front-end", yaml.Out);

        var again = await ctl.RunAsync($"apply -f {CtlRunner.Seed("deployment-httpd-frontend.yaml")}");
        Assert.Equal("deployment.apps/httpd-frontend unchanged", again.Out.Trim());
    }

    [Fact]
    public async Task Apply_Folder_NamespaceAndQuotaThenMultiDocumentStdin_ReportsEachObject_AndTheKindlessServiceFailsClearly()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        var ctl = new CtlRunner(host);
        var folder = Directory.CreateTempSubdirectory("seeds-").FullName;
        foreach (var f in new[] { "namespace-dev.yaml", "resourcequota-compute-quota.yaml" })
            File.Copy(CtlRunner.Seed(f), Path.Combine(folder, f));
        var dev = await ctl.RunAsync($"apply -f {folder}");
        Assert.Equal(0, dev.Exit);
        Assert.Equal(["namespace/dev created", "resourcequota/compute-quota created"], dev.Out.Trim().Split('\n'));

        var stream = string.Join("---\n", Workloads.Select(f => File.ReadAllText(CtlRunner.Seed(f))));
        var all = await ctl.RunAsync("apply -n team-a -f -", stdin: stream);
        Assert.Equal(1, all.Exit);
        Assert.Contains("namespaces \\\"team-a\\\" not found".Replace("\\", "", StringComparison.Ordinal), all.Err);
        await ctl.RunAsync("create namespace team-a");
        all = await ctl.RunAsync("apply -n team-a -f -", stdin: stream);
        Assert.True(all.Exit == 0, all.Err);
        Assert.Equal(7, all.Out.Trim().Split('\n').Count(l => l.EndsWith(" created", StringComparison.Ordinal)));
        var quota = await ctl.RunAsync("get quota -n dev");
        Assert.Contains("compute-quota", quota.Out);
        Assert.Contains("requests.memory: 0/5Gi", quota.Out);

        var kindless = await ctl.RunAsync($"apply -f {CtlRunner.Seed("service-loadbalancer-without-kind.yaml")}");
        Assert.Equal(1, kindless.Exit);
        Assert.Contains("kind: required", kindless.Err);
        var everywhere = await ctl.RunAsync("get pods -A");
        Assert.Matches("NAMESPACE +NAME +READY", everywhere.Out);
        Assert.Matches("team-a +myapp-pod ", everywhere.Out);
    }
}
