using Platform.Contracts.Resources;
using Platform.NodeAgent.Runtime;

namespace Platform.NodeAgent.Pods;

/// <summary>Image pulls with visible progress.</summary>
internal sealed partial class PodWorker
{
    /// <summary>How often a pod's status is written while one of its images is being pulled.</summary>
    private static readonly TimeSpan PullReportInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Ensures <paramref name="spec"/>'s image is present. While it is pulled, the container waits in ContainerCreating with
    /// the pull's progress as its message ("Pulling image "x": 1/3 layers, 2.1 of 5.0 MB") and the pod's status is written
    /// every <see cref="PullReportInterval"/>, so <c>get pods -w</c> and <c>describe pod</c> show a long pull moving.
    /// A <c>Pulling</c> event precedes the <c>Pulled</c> one, as kubelet records them. True when a pull happened.
    /// </summary>
    private async Task<bool> PullImageAsync(Pod pod, Container spec, ContainerSlot slot, CancellationToken ct)
    {
        var image = spec.Image!;
        var started = 0;
        var progress = new SyncProgress<ImagePullProgress>(p =>
        {
            Volatile.Write(ref started, 1);
            slot.Waiting = new ContainerStateWaiting { Reason = "ContainerCreating", Message = p.Layers == 0 ? $"Pulling image \"{image}\"" : $"Pulling image \"{image}\": {p}" };
        });
        var pull = _ctx.Runtime.EnsureImageAsync(image, spec.ImagePullPolicy, progress, ct);
        var announced = false;
        using var stopDelays = CancellationTokenSource.CreateLinkedTokenSource(ct);
        while (true)
        {
            var done = pull.IsCompleted || await Task.WhenAny(pull, Task.Delay(PullReportInterval, _ctx.Time, stopDelays.Token)) == pull;
            if (!announced && Volatile.Read(ref started) == 1)
            {
                announced = true;
                Record(pod, "Normal", "Pulling", $"Pulling image \"{image}\"", FieldPath(pod, spec));
                if (!done) FlushEvents();
            }
            if (done)
            {
                await stopDelays.CancelAsync();
                return await pull;
            }
            try
            {
                await ReportStatusAsync(pod, ct);
            }
            catch (HttpRequestException)
            {
                // Progress is best effort: the pull goes on, and the status is written after it.
            }
        }
    }
}
