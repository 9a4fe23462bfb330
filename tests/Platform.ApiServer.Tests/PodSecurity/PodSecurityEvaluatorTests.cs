using System.Text.Json;
using Platform.ApiServer.PodSecurity;
using Platform.Contracts.Resources;

namespace Platform.ApiServer.Tests.PodSecurity;

/// <summary>
/// Each check of the Pod Security Standards, refused and allowed, with the reason and detail Kubernetes prints (the
/// wording of k8s.io/pod-security-admission, which kubectl users read and scripts match).
/// </summary>
public sealed class PodSecurityEvaluatorTests
{
    private static readonly LevelVersion BaselineLatest = new(Level.Baseline, PolicyVersion.Latest);
    private static readonly LevelVersion RestrictedLatest = new(Level.Restricted, PolicyVersion.Latest);

    private static PodSpec Spec(string json) => JsonSerializer.Deserialize<PodSpec>(json, ResourceJson.Options)!;

    private static string? Detail(LevelVersion policy, string specJson, Dictionary<string, string>? annotations = null)
    {
        var result = PodSecurityEvaluator.Evaluate(policy, new ObjectMeta { Name = "p", Annotations = annotations }, Spec(specJson));
        return result.Allowed ? null : result.ForbiddenDetail;
    }

    public static TheoryData<string, string, string?> Baseline => new()
    {
        { "host namespaces", """{"hostNetwork":true,"hostPID":true,"hostIPC":true,"containers":[{"name":"a","image":"x"}]}""",
            "host namespaces (hostNetwork=true, hostPID=true, hostIPC=true)" },
        { "host namespaces false", """{"hostNetwork":false,"containers":[{"name":"a","image":"x"}]}""", null },
        { "privileged", """{"initContainers":[{"name":"i","image":"x","securityContext":{"privileged":true}}],"containers":[{"name":"a","image":"x","securityContext":{"privileged":true}},{"name":"b","image":"x","securityContext":{"privileged":false}}]}""",
            "privileged (containers \"i\", \"a\" must not set securityContext.privileged=true)" },
        { "capabilities beyond the default set", """{"containers":[{"name":"a","image":"x","securityContext":{"capabilities":{"add":["SYS_ADMIN","CHOWN","NET_RAW"]}}}]}""",
            "non-default capabilities (container \"a\" must not include \"NET_RAW\", \"SYS_ADMIN\" in securityContext.capabilities.add)" },
        { "default capabilities", """{"containers":[{"name":"a","image":"x","securityContext":{"capabilities":{"add":["CHOWN","NET_BIND_SERVICE"],"drop":["ALL"]}}}]}""", null },
        { "hostPath", """{"containers":[{"name":"a","image":"x"}],"volumes":[{"name":"host","hostPath":{"path":"/"}},{"name":"tmp","emptyDir":{}}]}""",
            "hostPath volumes (volume \"host\")" },
        { "two hostPaths", """{"containers":[{"name":"a","image":"x"}],"volumes":[{"name":"etc","hostPath":{"path":"/etc"}},{"name":"root","hostPath":{"path":"/"}}]}""",
            "hostPath volumes (volumes \"etc\", \"root\")" },
        { "other volumes", """{"containers":[{"name":"a","image":"x"}],"volumes":[{"name":"c","configMap":{"name":"c"}},{"name":"s","secret":{"secretName":"s"}},{"name":"e","emptyDir":{}}]}""", null },
        { "host ports", """{"containers":[{"name":"a","image":"x","ports":[{"containerPort":1,"hostPort":8080},{"containerPort":2,"hostPort":80}]},{"name":"b","image":"x","ports":[{"containerPort":3,"hostPort":9090}]}]}""",
            "hostPort (containers \"a\", \"b\" use hostPorts 80, 8080, 9090)" },
        { "one host port", """{"containers":[{"name":"a","image":"x","ports":[{"containerPort":1,"hostPort":8080}]}]}""", "hostPort (container \"a\" uses hostPort 8080)" },
        { "host port 0", """{"containers":[{"name":"a","image":"x","ports":[{"containerPort":1,"hostPort":0}]}]}""", null },
        { "seLinux", """{"securityContext":{"seLinuxOptions":{"type":"spc_t"}},"containers":[{"name":"a","image":"x","securityContext":{"seLinuxOptions":{"user":"system_u","role":"r"}}}]}""",
            "seLinuxOptions (pod and container \"a\" set forbidden securityContext.seLinuxOptions: type \"spc_t\"; user may not be set; role may not be set)" },
        { "seLinux container types", """{"securityContext":{"seLinuxOptions":{"type":"container_t","level":"s0:c1"}},"containers":[{"name":"a","image":"x","securityContext":{"seLinuxOptions":{"type":"container_engine_t"}}}]}""", null },
        { "procMount", """{"containers":[{"name":"a","image":"x","securityContext":{"procMount":"Unmasked"}}]}""",
            "procMount (container \"a\" must not set securityContext.procMount to \"Unmasked\")" },
        { "seccomp Unconfined", """{"securityContext":{"seccompProfile":{"type":"Unconfined"}},"containers":[{"name":"a","image":"x","securityContext":{"seccompProfile":{"type":"Unconfined"}}},{"name":"b","image":"x","securityContext":{"seccompProfile":{"type":"RuntimeDefault"}}}]}""",
            "seccompProfile (pod and container \"a\" must not set securityContext.seccompProfile.type to \"Unconfined\")" },
        { "seccomp Localhost", """{"securityContext":{"seccompProfile":{"type":"Localhost","localhostProfile":"p.json"}},"containers":[{"name":"a","image":"x"}]}""", null },
        { "sysctls", """{"securityContext":{"sysctls":[{"name":"kernel.msgmax","value":"1"},{"name":"net.ipv4.tcp_syncookies","value":"1"},{"name":"vm.swappiness","value":"1"}]},"containers":[{"name":"a","image":"x"}]}""",
            "forbidden sysctls (kernel.msgmax, vm.swappiness)" },
        { "safe sysctls", """{"securityContext":{"sysctls":[{"name":"net.ipv4.ip_local_port_range","value":"1024 65535"},{"name":"net.ipv4.tcp_notsent_lowat","value":"1"}]},"containers":[{"name":"a","image":"x"}]}""", null },
        { "AppArmor", """{"containers":[{"name":"a","image":"x","securityContext":{"appArmorProfile":{"type":"Unconfined"}}}]}""",
            "forbidden AppArmor profile (container \"a\" must not set AppArmor profile type to \"Unconfined\")" },
        { "probe host", """{"containers":[{"name":"a","image":"x","readinessProbe":{"httpGet":{"host":"10.0.0.1","port":80}},"livenessProbe":{"tcpSocket":{"host":"db","port":5432}}}]}""",
            "probe or lifecycle host (container \"a\" uses probe or lifecycle hosts \"10.0.0.1\", \"db\")" },
        { "several checks, in Kubernetes' order", """{"hostPID":true,"containers":[{"name":"a","image":"x","securityContext":{"privileged":true}}],"volumes":[{"name":"host","hostPath":{"path":"/"}}]}""",
            "host namespaces (hostPID=true), hostPath volumes (volume \"host\"), privileged (container \"a\" must not set securityContext.privileged=true)" },
        { "a plain pod", """{"containers":[{"name":"a","image":"x"}]}""", null },
    };

    [Theory]
    [MemberData(nameof(Baseline))]
    public void Baseline_Check(string name, string spec, string? expected)
    {
        Assert.True(Detail(BaselineLatest, spec) == expected, $"{name}: got {Detail(BaselineLatest, spec) ?? "allowed"}");
        Assert.Null(Detail(new LevelVersion(Level.Privileged, PolicyVersion.Latest), spec));
    }

    [Fact]
    public void Baseline_AppArmorAnnotation_IsRefusedUnlessRuntimeDefaultOrLocalhost()
    {
        const string spec = """{"containers":[{"name":"a","image":"x"}]}""";
        Assert.Equal("forbidden AppArmor profile (annotation must not set AppArmor profile type to \"container.apparmor.security.beta.kubernetes.io/a=\"unconfined\"\")",
            Detail(BaselineLatest, spec, new() { ["container.apparmor.security.beta.kubernetes.io/a"] = "unconfined" }));
        Assert.Null(Detail(BaselineLatest, spec, new() { ["container.apparmor.security.beta.kubernetes.io/a"] = "localhost/custom" }));
    }

    private const string RestrictedPod = """
        {"securityContext":{"runAsNonRoot":true,"seccompProfile":{"type":"RuntimeDefault"}},
         "containers":[{"name":"a","image":"x","securityContext":{"allowPrivilegeEscalation":false,"capabilities":{"drop":["ALL"],"add":["NET_BIND_SERVICE"]}}}]}
        """;

    public static TheoryData<string, string, string?> Restricted => new()
    {
        { "a plain pod", """{"containers":[{"name":"a","image":"x"}]}""",
            "allowPrivilegeEscalation != false (container \"a\" must set securityContext.allowPrivilegeEscalation=false), " +
            "unrestricted capabilities (container \"a\" must set securityContext.capabilities.drop=[\"ALL\"]), " +
            "runAsNonRoot != true (pod or container \"a\" must set securityContext.runAsNonRoot=true), " +
            "seccompProfile (pod or container \"a\" must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\")" },
        { "compliant", RestrictedPod, null },
        { "compliant per container", """{"containers":[{"name":"a","image":"x","securityContext":{"runAsNonRoot":true,"runAsUser":1000,"seccompProfile":{"type":"Localhost","localhostProfile":"p.json"},"allowPrivilegeEscalation":false,"capabilities":{"drop":["ALL"]}}}]}""", null },
        { "runAsUser 0", RestrictedPod.Replace("\"runAsNonRoot\":true,", "\"runAsNonRoot\":true,\"runAsUser\":0,", StringComparison.Ordinal),
            "runAsUser=0 (pod must not set runAsUser=0)" },
        { "runAsNonRoot false", RestrictedPod.Replace("\"allowPrivilegeEscalation\":false,", "\"allowPrivilegeEscalation\":false,\"runAsNonRoot\":false,", StringComparison.Ordinal),
            "runAsNonRoot != true (container \"a\" must not set securityContext.runAsNonRoot=false)" },
        { "a capability besides NET_BIND_SERVICE (the baseline check is replaced)", RestrictedPod.Replace("\"NET_BIND_SERVICE\"", "\"SYS_TIME\"", StringComparison.Ordinal),
            "unrestricted capabilities (container \"a\" must not include \"SYS_TIME\" in securityContext.capabilities.add)" },
        { "allowPrivilegeEscalation true", RestrictedPod.Replace("\"allowPrivilegeEscalation\":false", "\"allowPrivilegeEscalation\":true", StringComparison.Ordinal),
            "allowPrivilegeEscalation != false (container \"a\" must set securityContext.allowPrivilegeEscalation=false)" },
        { "hostPath (the baseline check is replaced)", RestrictedPod.TrimEnd()[..^1] + ""","volumes":[{"name":"host","hostPath":{"path":"/data"}},{"name":"e","emptyDir":{}}]}""",
            "restricted volume types (volume \"host\" uses restricted volume type \"hostPath\")" },
        { "seccomp Unconfined on a container", RestrictedPod.Replace("\"allowPrivilegeEscalation\":false,", "\"allowPrivilegeEscalation\":false,\"seccompProfile\":{\"type\":\"Unconfined\"},", StringComparison.Ordinal),
            "seccompProfile (container \"a\" must not set securityContext.seccompProfile.type to \"Unconfined\")" },
        { "baseline checks still apply", RestrictedPod.Replace("\"allowPrivilegeEscalation\":false,", "\"procMount\":\"Unmasked\",\"allowPrivilegeEscalation\":false,", StringComparison.Ordinal),
            "procMount (container \"a\" must not set securityContext.procMount to \"Unmasked\")" },
    };

    [Theory]
    [MemberData(nameof(Restricted))]
    public void Restricted_Check(string name, string spec, string? expected) =>
        Assert.True(Detail(RestrictedLatest, spec) == expected, $"{name}: got {Detail(RestrictedLatest, spec) ?? "allowed"}");

    [Fact]
    public void Versions_ApplyTheChecksOfTheirTime()
    {
        const string keepalive = """{"securityContext":{"sysctls":[{"name":"net.ipv4.tcp_keepalive_time","value":"60"}]},"containers":[{"name":"a","image":"x"}]}""";
        Assert.Equal("forbidden sysctls (net.ipv4.tcp_keepalive_time)", Detail(new(Level.Baseline, PolicyVersion.V1(28)), keepalive));
        Assert.Null(Detail(new(Level.Baseline, PolicyVersion.V1(29)), keepalive));

        const string probeHost = """{"containers":[{"name":"a","image":"x","readinessProbe":{"tcpSocket":{"host":"db","port":1}}}]}""";
        Assert.Null(Detail(new(Level.Baseline, PolicyVersion.V1(33)), probeHost));
        Assert.NotNull(Detail(new(Level.Baseline, PolicyVersion.V1(34)), probeHost));
        Assert.NotNull(Detail(new(Level.Baseline, PolicyVersion.V1(99)), probeHost)); // newer than any check: the newest

        // Before 1.22 restricted had no capabilities check of its own, before 1.19 seccomp was annotations only.
        const string plain = """{"containers":[{"name":"a","image":"x"}]}""";
        Assert.Equal("allowPrivilegeEscalation != false (container \"a\" must set securityContext.allowPrivilegeEscalation=false), " +
            "runAsNonRoot != true (pod or container \"a\" must set securityContext.runAsNonRoot=true)", Detail(new(Level.Restricted, PolicyVersion.V1(18)), plain));
        var unconfined = new Dictionary<string, string> { ["seccomp.security.alpha.kubernetes.io/pod"] = "unconfined" };
        Assert.Equal("seccompProfile (forbidden annotation seccomp.security.alpha.kubernetes.io/pod=\"unconfined\")", Detail(new(Level.Baseline, PolicyVersion.V1(18)), plain, unconfined));
        Assert.Null(Detail(BaselineLatest, plain, unconfined));
    }
}
