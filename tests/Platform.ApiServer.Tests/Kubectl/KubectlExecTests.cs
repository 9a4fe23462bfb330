using Platform.ApiServer.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.ApiServer;
using Platform.Testing.Cluster;

namespace Platform.ApiServer.Tests.Kubectl;

/// <summary>
/// <c>kubectl exec</c> and <c>kubectl cp</c>, unchanged, against the apiserver over TLS, reaching a busybox pod that an
/// in-process node agent runs in dockerd: the WebSocket goes kubectl → apiserver → agent → Docker exec.
/// </summary>
[Collection(ApiServerCollection.Name)]
public sealed class KubectlExecTests(PostgresFixture pg, KafkaFixture kafka, DockerFixture docker) : IClassFixture<DockerFixture>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task KubectlExecAndCp_RunCommandsAndCopyFilesBothWays_AndRefuseAViewer()
    {
        using var kubectl = new KubectlSession();
        await using var host = await ApiServerHost.StartAsync(pg, kafka, builderHook: kubectl.UseHttpsAndHttp);
        var ns = "exec-" + Guid.NewGuid().ToString("N")[..8];
        var node = ClusterApi.NewName("node");
        kubectl.WriteKubeconfig(host.BaseAddress, host.AdminToken, ns);
        using var admin = new HttpClient { BaseAddress = KubectlSession.PlainAddress(host.Services) };
        admin.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", host.AdminToken);
        var agent = await NodeAgentHost.StartAsync(admin.BaseAddress, host.TopicPrefix, docker, kafka, node, await admin.CreateNodeTokenAsync(node));
        var local = Directory.CreateTempSubdirectory("kubectl-cp-").FullName;
        try
        {
            Assert.Equal($"namespace/{ns} created\n", await kubectl.OkAsync($"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {ns}\n", "apply", "--validate=false", "-f", "-"));
            await kubectl.OkAsync(Pod("shell", node), "apply", "--validate=false", "-f", "-");
            await kubectl.OkAsync(Pod("pending", null), "apply", "--validate=false", "-f", "-");
            var containerId = await Eventually.WaitAsync(async () =>
                    await kubectl.RunAsync(null, "get", "pod", "shell", "-o", "jsonpath={.status.containerStatuses[0].state.running.startedAt} {.status.containerStatuses[0].containerID}")
                        is { ExitCode: 0, Stdout: var s } && s.Split(' ') is [{ Length: > 0 }, { Length: > 0 } id] ? id["docker://".Length..] : null,
                Wait, "pod shell running");
            var hostname = (await docker.Client.Containers.InspectContainerAsync(containerId)).Config.Hostname + "\n";

            Assert.Equal(hostname, await kubectl.OkAsync(null, "exec", "shell", "--", "cat", "/etc/hostname"));

            var failed = await kubectl.RunAsync(null, "exec", "shell", "--", "sh", "-c", "echo partial; exit 3");
            Assert.Equal((3, "partial\n"), (failed.ExitCode, failed.Stdout));
            Assert.Contains("command terminated with exit code 3", failed.Stderr);

            Assert.Equal("hi\nthere\n", await kubectl.OkAsync("hi\nthere\n", "exec", "-i", "shell", "--", "cat"));

            // -it on a real terminal: util-linux script gives kubectl a pty of a known size, which kubectl sends as a resize.
            // The command polls for it: the first size lands a moment after the command starts (see docs/node-agent.md),
            // and busybox stty prints nothing (exit 0) while a terminal has no size.
            var (ttyExit, ttyOut) = await InTerminalAsync($"stty cols 99 rows 33; kubectl --kubeconfig={kubectl.KubeconfigPath} exec -it shell -- " +
                "sh -c 'until s=$(busybox stty size 2>/dev/null) && [ -n \"$s\" ]; do sleep 0.05; done; echo \"$s\"; exit 5'");
            Assert.True(ttyExit == 5, $"kubectl exec -it exited {ttyExit}: {ttyOut}");
            Assert.True(ttyOut.Contains("33 99\r\n", StringComparison.Ordinal), ttyOut);

            // kubectl cp runs tar in the pod through exec: out of the pod, then into it and read back.
            var copied = Path.Combine(local, "out");
            await kubectl.OkAsync(null, "cp", $"shell:/etc/hostname", copied);
            Assert.Equal(hostname, await File.ReadAllTextAsync(copied));
            var upload = Path.Combine(local, "upload.txt");
            await File.WriteAllTextAsync(upload, "copied in\nby kubectl cp\n");
            await kubectl.OkAsync(null, "cp", upload, "shell:/tmp/upload.txt");
            Assert.Equal("copied in\nby kubectl cp\n", await kubectl.OkAsync(null, "exec", "shell", "--", "cat", "/tmp/upload.txt"));
            // Larger than any request-body limit, and many 32 KiB messages each way: the bytes come back as they went in.
            var large = System.Security.Cryptography.RandomNumberGenerator.GetBytes(5 * 1024 * 1024);
            await File.WriteAllBytesAsync(Path.Combine(local, "large.bin"), large);
            await kubectl.OkAsync(null, "cp", Path.Combine(local, "large.bin"), "shell:/tmp/large.bin");
            await kubectl.OkAsync(null, "cp", "shell:/tmp/large.bin", Path.Combine(local, "back.bin"));
            var back = await File.ReadAllBytesAsync(Path.Combine(local, "back.bin"));
            Assert.True(large.AsSpan().SequenceEqual(back), $"the 5 MiB file came back changed ({back.Length} bytes)");

            // attach follows the main process's output from now on, until kubectl is stopped.
            var (attach, lines) = kubectl.Start("attach", "shell");
            try
            {
                // Written again until heard: a line written before kubectl's stream is up is not part of an attach.
                await Eventually.WaitAsync(async () =>
                {
                    await kubectl.OkAsync(null, "exec", "shell", "--", "sh", "-c", "echo attached > /proc/1/fd/1");
                    using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(1));
                    try
                    {
                        while (await lines.ReadAsync(wait.Token) != "attached") { }
                        return true;
                    }
                    catch (OperationCanceledException)
                    {
                        return false;
                    }
                }, Wait, "kubectl attach to print a line the container's main process wrote");
            }
            finally
            {
                attach.Kill();
                attach.Dispose();
            }

            // Problems come back as Status objects kubectl prints.
            var unscheduled = await kubectl.RunAsync(null, "exec", "pending", "--", "true");
            Assert.NotEqual(0, unscheduled.ExitCode);
            Assert.Contains("Error from server (BadRequest): spec.nodeName: pod pending is not scheduled to a node", unscheduled.Stderr);
            var unknown = await kubectl.RunAsync(null, "exec", "shell", "-c", "web", "--", "true");
            Assert.Contains("container web is not valid for pod shell", unknown.Stderr);

            var viewer = await ClusterApi.SendAsync(admin, HttpMethod.Post, "/apis/auth.platform.io/v1/tokens",
                new System.Text.Json.Nodes.JsonObject { ["name"] = ClusterApi.NewName("viewer"), ["role"] = "viewer", ["namespace"] = ns });
            kubectl.WriteKubeconfig(host.BaseAddress, (string)viewer["token"]!, ns);
            var refused = await kubectl.RunAsync(null, "exec", "shell", "--", "cat", "/etc/hostname");
            Assert.NotEqual(0, refused.ExitCode);
            Assert.Equal("", refused.Stdout);
            Assert.Contains("Error from server (Forbidden)", refused.Stderr);
            Assert.Contains("cannot create resource \"pods/exec\" in API group \"\" in the namespace", refused.Stderr);
        }
        finally
        {
            await agent.DisposeAsync();
            await NodeAgentHost.RemoveContainersAsync(docker.Client, node);
            Directory.Delete(local, recursive: true);
        }
    }

    /// <summary>Runs a shell command line on a pseudo-terminal (<c>script</c>), returning its exit code and what the terminal showed.</summary>
    private static async Task<(int ExitCode, string Output)> InTerminalAsync(string commandLine)
    {
        var psi = new System.Diagnostics.ProcessStartInfo("script") { RedirectStandardOutput = true, RedirectStandardInput = true };
        foreach (var arg in new[] { "-q", "-e", "-c", commandLine, "/dev/null" }) psi.ArgumentList.Add(arg);
        using var p = System.Diagnostics.Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Wait);
        try
        {
            await p.WaitForExitAsync(timeout.Token);
        }
        finally
        {
            if (!p.HasExited) p.Kill(entireProcessTree: true);
        }
        return (p.ExitCode, await output);
    }

    private static string Pod(string name, string? node) => $"""
        apiVersion: v1
        kind: Pod
        metadata:
          name: {name}
        spec:
          {(node is null ? "" : "nodeName: " + node)}
          terminationGracePeriodSeconds: 1
          containers:
          - name: main
            image: {DockerFixture.BusyboxImage}
            command: ["sleep", "3600"]
        """;
}
