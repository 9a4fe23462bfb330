using Platform.ApiServer.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.ApiServer;

namespace Platform.ApiServer.Tests.Kubectl;

/// <summary>What a kubectl user sees of Pod Security admission: the refusal, the warnings, the labels.</summary>
[Collection(ApiServerCollection.Name)]
public sealed class KubectlPodSecurityTests(PostgresFixture pg, KafkaFixture kafka)
{
    private const string HostPathPod = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: shadow
        spec:
          containers:
          - name: main
            image: platform/busybox:latest
            command: ["cat", "/host/etc/shadow"]
            volumeMounts:
            - {name: host, mountPath: /host}
          volumes:
          - name: host
            hostPath: {path: /}
        """;

    private const string HostPathDeployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: logs
        spec:
          selector:
            matchLabels: {app: logs}
          template:
            metadata:
              labels: {app: logs}
            spec:
              containers:
              - name: main
                image: platform/busybox:latest
              volumes:
              - name: varlog
                hostPath: {path: /var/log}
        """;

    [Fact]
    public async Task Kubectl_HostPathPodIsRefused_DeploymentWarned_LabelsValidated_AndAnAdminCanPrivilegeANamespace()
    {
        using var kubectl = new KubectlSession();
        await using var host = await ApiServerHost.StartAsync(pg, kafka, builderHook: kubectl.UseHttps);
        kubectl.WriteKubeconfig(host.BaseAddress, host.AdminToken, "default");

        // The fields Pod Security reads are in the OpenAPI document, described from the contracts' summaries.
        var explained = await kubectl.OkAsync(null, "explain", "pods.spec.containers.securityContext.runAsNonRoot");
        Assert.Contains("When true, the node agent refuses to start the container if it would run as UID 0.",
            System.Text.RegularExpressions.Regex.Replace(explained, @"\s+", " "));
        Assert.Contains("hostPID", await kubectl.OkAsync(null, "explain", "pods.spec"));

        var refused = await kubectl.RunAsync(HostPathPod, "apply", "-f", "-");
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("Error from server (Forbidden): error when creating \"STDIN\": pods \"shadow\" is forbidden: " +
            "violates PodSecurity \"baseline:latest\": hostPath volumes (volume \"host\")", refused.Stderr);

        var deployed = await kubectl.RunAsync(HostPathDeployment, "apply", "-f", "-");
        Assert.Equal(0, deployed.ExitCode);
        Assert.Equal("deployment.apps/logs created\n", deployed.Stdout);
        Assert.Contains("Warning: would violate PodSecurity \"baseline:latest\": hostPath volumes (volume \"varlog\")", deployed.Stderr);

        var invalid = await kubectl.RunAsync(null, "label", "namespace", "default", "pod-security.kubernetes.io/enforce=strict");
        Assert.NotEqual(0, invalid.ExitCode);
        Assert.Contains("metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: \"strict\": must be one of privileged, baseline, restricted", invalid.Stderr);

        Assert.Equal("namespace/default labeled\n", await kubectl.OkAsync(null, "label", "namespace", "default",
            "pod-security.kubernetes.io/enforce=privileged", "pod-security.kubernetes.io/warn=privileged"));
        Assert.Equal("pod/shadow created\n", await kubectl.OkAsync(HostPathPod, "apply", "-f", "-"));

        // Back to restricted: kubectl shows which existing pods the new level would refuse.
        var stricter = await kubectl.RunAsync(null, "label", "--overwrite", "namespace", "default", "pod-security.kubernetes.io/enforce=restricted");
        Assert.Equal(0, stricter.ExitCode);
        Assert.Contains("Warning: existing pods in namespace \"default\" violate the new PodSecurity enforce level \"restricted:latest\"", stricter.Stderr);
        Assert.Contains("Warning: shadow: allowPrivilegeEscalation != false, unrestricted capabilities, restricted volume types, runAsNonRoot != true, seccompProfile", stricter.Stderr);
    }
}
