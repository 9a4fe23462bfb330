using System.Runtime.InteropServices;
using Docker.DotNet;
using Platform.Contracts.Resources;

namespace Platform.NodeAgent.Registration;

/// <summary>
/// <c>status.nodeInfo</c> as kubelet reports it: machine and boot ids, kernel and OS image from the host, the Docker
/// engine's version as the container runtime, the platform's Kubernetes version as the kubelet's. Read once; the
/// runtime's version is asked with a short timeout and left out when the engine does not answer.
/// </summary>
internal sealed class NodeSystemInfoReader(DockerClient docker)
{
    /// <summary>The Kubernetes version the platform's API serves (the apiserver's <c>/version</c>).</summary>
    public const string KubeletVersion = "v1.32.0-platform";

    private NodeSystemInfo? _info;

    public async Task<NodeSystemInfo> ReadAsync(CancellationToken ct)
    {
        if (_info is not null) return _info;
        string? runtime = null;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            runtime = "docker://" + (await docker.System.GetVersionAsync(timeout.Token)).Version;
        }
        catch (Exception ex) when (ex is DockerApiException or HttpRequestException or OperationCanceledException or TimeoutException && !ct.IsCancellationRequested)
        {
        }
        var info = new NodeSystemInfo
        {
            MachineID = First("/etc/machine-id"),
            BootID = First("/proc/sys/kernel/random/boot_id"),
            SystemUUID = First("/sys/class/dmi/id/product_uuid"),
            KernelVersion = First("/proc/sys/kernel/osrelease"),
            OSImage = OsImage(),
            ContainerRuntimeVersion = runtime,
            KubeletVersion = KubeletVersion,
            KubeProxyVersion = KubeletVersion,
            OperatingSystem = "linux",
            Architecture = RuntimeInformation.OSArchitecture switch { Architecture.X64 => "amd64", Architecture.Arm64 => "arm64", var a => a.ToString().ToLowerInvariant() },
        };
        if (runtime is not null) _info = info; // asked again next time while the engine is down
        return info;
    }

    /// <summary>PRETTY_NAME of /etc/os-release, as kubelet reports the OS image.</summary>
    private static string? OsImage()
    {
        try
        {
            var line = File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal));
            return line?["PRETTY_NAME=".Length..].Trim('"');
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string? First(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadLines(path).FirstOrDefault()?.Trim() : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
