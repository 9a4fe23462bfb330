using Platform.Contracts.Resources;
using Platform.NodeAgent.Pods;

namespace Platform.NodeAgent.Tests.Pods;

/// <summary>
/// The effective securityContext in Docker's terms, for what the Docker tests cannot run here (a privileged container
/// needs capabilities this sandbox's runtime lacks) or need not (profiles, SELinux labels, the user of an image).
/// </summary>
public sealed class ContainerSecurityBuilderTests : IDisposable
{
    private readonly NodeAgentOptions _options = new() { NodeName = "n", StateDirectory = Directory.CreateTempSubdirectory("security-").FullName };

    public void Dispose() => Directory.Delete(_options.StateDirectory, recursive: true);

    private static Pod Pod(SecurityContext? container, PodSecurityContext? pod = null) => new()
    {
        Metadata = new ObjectMeta { Name = "p", Namespace = "ns", Uid = "u-1" },
        Spec = new PodSpec { SecurityContext = pod, Containers = [new Container { Name = "main", Image = "img", SecurityContext = container }] },
    };

    private Task<(Platform.NodeAgent.Runtime.ContainerSecurity Security, string? ConfigError)> BuildAsync(Pod pod, string? imageUser = "") =>
        ContainerSecurityBuilder.BuildAsync(pod, pod.Spec.Containers[0], _options, () => Task.FromResult(imageUser), CancellationToken.None);

    [Fact]
    public async Task ContainerFields_OverrideThePods_AndMapToDocker()
    {
        var (s, error) = await BuildAsync(Pod(
            new SecurityContext
            {
                Privileged = true, RunAsUser = 7, ProcMount = "Unmasked",
                AppArmorProfile = new AppArmorProfile { Type = "Unconfined" },
                SeLinuxOptions = new SELinuxOptions { Type = "spc_t", Level = "s0:c1,c2" },
            },
            new PodSecurityContext { RunAsUser = 5, RunAsGroup = 6, AppArmorProfile = new AppArmorProfile { Type = "Localhost", LocalhostProfile = "p" } }));
        Assert.Null(error);
        Assert.Equal("7:6", s.User);
        Assert.True(s.Privileged);
        Assert.True(s.UnmaskedProc);
        Assert.Equal(["apparmor=unconfined", "label=type:spc_t", "label=level:s0:c1,c2"], s.SecurityOpt);
    }

    [Fact]
    public async Task RunAsGroupAlone_KeepsTheImagesUser()
    {
        Assert.Equal("app:9", (await BuildAsync(Pod(new SecurityContext { RunAsGroup = 9 }), "app:app")).Security.User);
        Assert.Equal("0:9", (await BuildAsync(Pod(new SecurityContext { RunAsGroup = 9 }), "")).Security.User);
    }

    [Fact]
    public async Task LocalhostSeccomp_IsReadFromTheNodesSeccompFolder_OrIsAConfigError()
    {
        var pod = Pod(new SecurityContext { SeccompProfile = new SeccompProfile { Type = "Localhost", LocalhostProfile = "profiles/audit.json" } });
        Assert.Equal($"localhost seccomp profile \"profiles/audit.json\" not found in {ContainerSecurityBuilder.SeccompDirectory(_options)}", (await BuildAsync(pod)).ConfigError);

        Directory.CreateDirectory(Path.Combine(ContainerSecurityBuilder.SeccompDirectory(_options), "profiles"));
        await File.WriteAllTextAsync(Path.Combine(ContainerSecurityBuilder.SeccompDirectory(_options), "profiles", "audit.json"), """{"defaultAction":"SCMP_ACT_LOG"}""");
        Assert.Equal(["seccomp={\"defaultAction\":\"SCMP_ACT_LOG\"}"], (await BuildAsync(pod)).Security.SecurityOpt);
    }

    [Theory]
    [InlineData(null, "", "container has runAsNonRoot and image will run as root (pod: \"p_ns(u-1)\", container: main)")]
    [InlineData(null, "0:0", "container has runAsNonRoot and image will run as root (pod: \"p_ns(u-1)\", container: main)")]
    [InlineData(null, "nobody", "container has runAsNonRoot and image has non-numeric user (nobody), cannot verify user is non-root (pod: \"p_ns(u-1)\", container: main)")]
    [InlineData(0L, "1000", "container's runAsUser breaks non-root policy (pod: \"p_ns(u-1)\", container: main)")]
    [InlineData(null, "1000:1000", null)]
    [InlineData(1000L, "", null)]
    public async Task RunAsNonRoot_AsKubeletChecksIt(long? runAsUser, string imageUser, string? expected)
    {
        var (_, error) = await BuildAsync(Pod(new SecurityContext { RunAsUser = runAsUser }, new PodSecurityContext { RunAsNonRoot = true }), imageUser);
        Assert.Equal(expected, error);
    }
}
