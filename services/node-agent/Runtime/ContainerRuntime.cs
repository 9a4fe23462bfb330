using System.Globalization;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace Platform.NodeAgent.Runtime;

/// <summary>The Docker Engine API through Docker.DotNet: images, containers (host network or a pod sandbox's), exec, logs.</summary>
internal sealed partial class ContainerRuntime(DockerClient docker, ILogger<ContainerRuntime> log)
{
    /// <summary>
    /// True when the image had to be pulled; throws <see cref="ImagePullException"/> when it cannot be had.
    /// <paramref name="progress"/> hears once when a pull starts (no layers yet) and then as its layers move.
    /// </summary>
    public async Task<bool> EnsureImageAsync(string image, string? pullPolicy, IProgress<ImagePullProgress>? progress, CancellationToken ct)
    {
        var present = await ImagePresentAsync(image, ct);
        if (present && pullPolicy != "Always") return false;
        if (!present && pullPolicy == "Never") throw new ImagePullException($"image \"{image}\" is not present and imagePullPolicy is Never");
        var (repo, tag) = SplitImage(image);
        string? error = null;
        var tracker = new ImagePullProgress.Tracker();
        progress?.Report(new ImagePullProgress(0, 0, 0, 0));
        // A synchronous IProgress: Progress<T> would post each message to the thread pool and reorder them.
        var messages = new SyncProgress<JSONMessage>(m =>
        {
            if (m.Error is { } e) error = e.Message;
            else if (m.Status is { Length: > 0 } s) PullProgress(image, s, m.Progress?.Current ?? 0, m.Progress?.Total ?? 0);
            if (tracker.Add(m) is { } totals) progress?.Report(totals);
        });
        try
        {
            await docker.Images.CreateImageAsync(new ImagesCreateParameters { FromImage = repo, Tag = tag }, null, messages, ct);
        }
        catch (DockerApiException ex)
        {
            if (present) return false; // pullPolicy Always but offline: the local copy still runs
            throw new ImagePullException($"pulling \"{image}\": {ex.ResponseBody?.Trim() ?? ex.Message}", ex);
        }
        if (!await ImagePresentAsync(image, ct))
            throw new ImagePullException($"pulling \"{image}\": {error ?? "the image is not available"}");
        return true;
    }

    /// <summary>The image's configured user (<c>USER</c>: <c>uid[:gid]</c> or a name), empty for root; null when the image is not present.</summary>
    public async Task<string?> ImageUserAsync(string image, CancellationToken ct)
    {
        try
        {
            return (await docker.Images.InspectImageAsync(image, ct)).Config?.User ?? "";
        }
        catch (DockerImageNotFoundException)
        {
            return null;
        }
    }

    private async Task<bool> ImagePresentAsync(string image, CancellationToken ct)
    {
        try
        {
            await docker.Images.InspectImageAsync(image, ct);
            return true;
        }
        catch (DockerImageNotFoundException)
        {
            return false;
        }
    }

    private static (string Repo, string Tag) SplitImage(string image)
    {
        var slash = image.LastIndexOf('/');
        var colon = image.LastIndexOf(':');
        return colon > slash ? (image[..colon], image[(colon + 1)..]) : (image, "latest");
    }

    public async Task<string> CreateAndStartAsync(ContainerLaunch launch, string containerName, CancellationToken ct)
    {
        var security = launch.Security;
        var created = await docker.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Name = containerName,
            Image = launch.Image,
            Entrypoint = launch.Command,
            Cmd = launch.Args,
            WorkingDir = launch.WorkingDir,
            Env = launch.Env,
            Labels = launch.Labels,
            User = security.User,
            HostConfig = new HostConfig
            {
                NetworkMode = launch.NetworkMode,
                Memory = launch.MemoryBytes ?? 0,
                CPUShares = launch.CpuShares ?? 0,
                CPUQuota = launch.CpuQuota ?? 0,
                CPUPeriod = launch.CpuQuota is null ? 0 : ContainerCpu.QuotaPeriod,
                Binds = launch.Binds.Count > 0 ? launch.Binds : null,
                Privileged = security.Privileged,
                CapAdd = security.CapAdd,
                CapDrop = security.CapDrop,
                ReadonlyRootfs = security.ReadonlyRootfs,
                SecurityOpt = security.SecurityOpt,
                GroupAdd = security.GroupAdd,
                Sysctls = security.Sysctls,
                // Docker's `--security-opt systempaths=unconfined`: empty lists (not absent ones) unmask /proc.
                MaskedPaths = security.UnmaskedProc ? [] : null,
                ReadonlyPaths = security.UnmaskedProc ? [] : null,
            },
        }, ct);
        return await StartOrRemoveAsync(created.ID, ct);
    }

    /// <summary>
    /// Starts a created container; one the runtime refuses to start (capabilities the node lacks, a bad profile) must
    /// not stay behind under the name the next attempt will use.
    /// </summary>
    private async Task<string> StartOrRemoveAsync(string id, CancellationToken ct)
    {
        try
        {
            await docker.Containers.StartContainerAsync(id, new ContainerStartParameters(), ct);
        }
        catch (DockerApiException)
        {
            await RemoveAsync(id, CancellationToken.None);
            throw;
        }
        return id;
    }

    /// <summary>Every container this node's agent created, running or not.</summary>
    public Task<List<ContainerInfo>> ListAsync(string nodeName, CancellationToken ct) => ListAsync(nodeName, podUid: null, ct);

    /// <summary>
    /// The containers this node's agent created for one pod, running or not. Docker filters by the pod's label, so a
    /// pod's worker never inspects the node's other containers (with a hundred pods that was two hundred inspections
    /// for every pod started).
    /// </summary>
    public async Task<List<ContainerInfo>> ListAsync(string nodeName, string? podUid, CancellationToken ct)
    {
        var labels = new Dictionary<string, bool> { [$"{ContainerLabels.Node}={nodeName}"] = true };
        if (podUid is not null) labels[$"{ContainerLabels.PodUid}={podUid}"] = true;
        var list = await docker.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = labels },
        }, ct);
        var result = new List<ContainerInfo>(list.Count);
        foreach (var c in list)
        {
            var info = await InspectAsync(c.ID, ct);
            if (info is not null) result.Add(info);
        }
        return result;
    }

    public async Task<ContainerInfo?> InspectAsync(string id, CancellationToken ct)
    {
        ContainerInspectResponse r;
        try
        {
            r = await docker.Containers.InspectContainerAsync(id, ct);
        }
        catch (DockerContainerNotFoundException)
        {
            return null;
        }
        IReadOnlyDictionary<string, string> labels = new Dictionary<string, string>(r.Config.Labels ?? new Dictionary<string, string>());
        if (!labels.TryGetValue(ContainerLabels.PodUid, out var uid)) return null;
        var s = r.State;
        string? reason = s.Running ? null : s.OOMKilled ? "OOMKilled" : s.Status == "created" ? "ContainerCreating" : s.ExitCode == 0 ? "Completed" : "Error";
        return new ContainerInfo(
            r.ID, uid, labels.GetValueOrDefault(ContainerLabels.PodNamespace, ""), labels.GetValueOrDefault(ContainerLabels.PodName, ""),
            labels.GetValueOrDefault(ContainerLabels.Container, ""),
            int.TryParse(labels.GetValueOrDefault(ContainerLabels.RestartCount), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0,
            s.Running, (int)s.ExitCode, reason, ParseTime(s.StartedAt), s.Running ? null : ParseTime(s.FinishedAt), labels);
    }

    private static DateTimeOffset? ParseTime(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) && t.Year > 1 ? t : null;

    /// <summary>SIGTERM, then SIGKILL after <paramref name="grace"/> (Docker's stop does exactly this).</summary>
    public async Task StopAsync(string id, TimeSpan grace, CancellationToken ct)
    {
        try
        {
            await docker.Containers.StopContainerAsync(id, new ContainerStopParameters { WaitBeforeKillSeconds = (uint)Math.Max(0, grace.TotalSeconds) }, ct);
        }
        catch (DockerContainerNotFoundException)
        {
        }
    }

    public async Task RemoveAsync(string id, CancellationToken ct)
    {
        try
        {
            await docker.Containers.RemoveContainerAsync(id, new ContainerRemoveParameters { Force = true }, ct);
        }
        catch (DockerContainerNotFoundException)
        {
        }
    }

    /// <summary>Runs <paramref name="command"/> in the container; its exit code, or null when it did not finish in time.</summary>
    public async Task<long?> ExecAsync(string id, IList<string> command, TimeSpan timeout, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        try
        {
            var exec = await docker.Exec.ExecCreateContainerAsync(id, new ContainerExecCreateParameters { Cmd = command, AttachStdout = true, AttachStderr = true }, cts.Token);
            using (var stream = await docker.Exec.StartAndAttachContainerExecAsync(exec.ID, false, cts.Token))
                await stream.ReadOutputToEndAsync(cts.Token);
            var inspect = await docker.Exec.InspectContainerExecAsync(exec.ID, cts.Token);
            return inspect.ExitCode;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return null;
        }
    }

    [LoggerMessage(EventId = 200, Level = LogLevel.Debug, Message = "pulling {Image}: {Status} {Current}/{Total}")]
    private partial void PullProgress(string image, string status, long current, long total);
}
