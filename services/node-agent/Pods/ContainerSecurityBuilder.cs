using System.Globalization;
using Platform.Contracts.Resources;
using Platform.NodeAgent.Runtime;

namespace Platform.NodeAgent.Pods;

/// <summary>
/// A container's effective securityContext (its own fields over the pod's, as kubelet merges them) in Docker's
/// terms, and kubelet's checks before creating it: <c>runAsNonRoot</c> against the user the container would run as,
/// a Localhost seccomp profile that must exist. A failed check is the message of a <c>CreateContainerConfigError</c>.
/// </summary>
internal static class ContainerSecurityBuilder
{
    /// <summary>Where Localhost seccomp profiles are read from (kubelet's <c>{root-dir}/seccomp</c>).</summary>
    public static string SeccompDirectory(NodeAgentOptions o) => Path.Combine(o.StateDirectory, "seccomp");

    /// <param name="imageUser">the image's <c>USER</c>, asked only when the answer depends on it</param>
    public static async Task<(ContainerSecurity Security, string? ConfigError)> BuildAsync(Pod pod, Container container, NodeAgentOptions o,
        Func<Task<string?>> imageUser, CancellationToken ct)
    {
        var podSc = pod.Spec.SecurityContext;
        var sc = container.SecurityContext;
        var runAsUser = sc?.RunAsUser ?? podSc?.RunAsUser;
        var runAsGroup = sc?.RunAsGroup ?? podSc?.RunAsGroup;
        string? image = null;
        if ((sc?.RunAsNonRoot ?? podSc?.RunAsNonRoot) == true)
        {
            if (runAsUser is not null)
            {
                if (runAsUser == 0) return (ContainerSecurity.Default, $"container's runAsUser breaks non-root policy (pod: \"{Describe(pod)}\", container: {container.Name})");
            }
            else
            {
                image = await imageUser() ?? "";
                var user = image.Split(':')[0];
                if (user.Length == 0 || user == "0")
                    return (ContainerSecurity.Default, $"container has runAsNonRoot and image will run as root (pod: \"{Describe(pod)}\", container: {container.Name})");
                if (!long.TryParse(user, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                    return (ContainerSecurity.Default, $"container has runAsNonRoot and image has non-numeric user ({user}), cannot verify user is non-root (pod: \"{Describe(pod)}\", container: {container.Name})");
            }
        }
        string? dockerUser = null;
        if (runAsUser is not null) dockerUser = Id(runAsUser.Value) + (runAsGroup is null ? "" : ":" + Id(runAsGroup.Value));
        else if (runAsGroup is not null)
        {
            // The image's user with the asked group, as CRI runtimes do; root when the image names none.
            image ??= await imageUser() ?? "";
            var user = image.Split(':')[0];
            dockerUser = (user.Length == 0 ? "0" : user) + ":" + Id(runAsGroup.Value);
        }

        var options = new List<string>();
        if (sc?.AllowPrivilegeEscalation == false) options.Add("no-new-privileges");
        var seccomp = sc?.SeccompProfile ?? podSc?.SeccompProfile;
        switch (seccomp?.Type)
        {
            case "Unconfined":
                options.Add("seccomp=unconfined");
                break;
            case "Localhost":
                var file = Path.Combine(SeccompDirectory(o), seccomp.LocalhostProfile ?? "");
                if (!File.Exists(file)) return (ContainerSecurity.Default, $"localhost seccomp profile \"{seccomp.LocalhostProfile}\" not found in {SeccompDirectory(o)}");
                // Docker's API takes the profile itself; its CLI reads the file the same way.
                options.Add("seccomp=" + await File.ReadAllTextAsync(file, ct));
                break;
        }
        var appArmor = sc?.AppArmorProfile ?? podSc?.AppArmorProfile;
        if (appArmor?.Type == "Unconfined") options.Add("apparmor=unconfined");
        else if (appArmor?.Type == "Localhost") options.Add("apparmor=" + appArmor.LocalhostProfile);
        if ((sc?.SeLinuxOptions ?? podSc?.SeLinuxOptions) is { } se)
        {
            foreach (var (key, value) in new[] { ("user", se.User), ("role", se.Role), ("type", se.Type), ("level", se.Level) })
                if (!string.IsNullOrEmpty(value)) options.Add($"label={key}:{value}");
        }

        // kubelet gives fsGroup to every container as a supplemental group too.
        var groups = (podSc?.SupplementalGroups ?? []).Concat(podSc?.FsGroup is { } fs ? [fs] : []).Distinct().Select(Id).ToList();
        var sysctls = podSc?.Sysctls?.Where(s => s?.Name is { Length: > 0 }).ToDictionary(s => s.Name!, s => s.Value ?? "");
        return (new ContainerSecurity(
            dockerUser,
            sc?.Privileged == true,
            sc?.Capabilities?.Add is { Count: > 0 } add ? add : null,
            sc?.Capabilities?.Drop is { Count: > 0 } drop ? drop : null,
            sc?.ReadOnlyRootFilesystem == true,
            options.Count > 0 ? options : null,
            groups.Count > 0 ? groups : null,
            sysctls is { Count: > 0 } ? sysctls : null,
            sc?.ProcMount == "Unmasked"), null);
    }

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    /// <summary>kubelet's <c>format.Pod</c>: <c>name_namespace(uid)</c>.</summary>
    private static string Describe(Pod pod) => $"{pod.Metadata.Name}_{pod.Metadata.Namespace}({pod.Metadata.Uid})";
}
