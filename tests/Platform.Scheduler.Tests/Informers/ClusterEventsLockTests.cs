using Microsoft.Extensions.Logging.Abstractions;
using Platform.ApiServer.Client;
using Platform.ApiServer.Client.Informers;
using Platform.Contracts.Resources;
using Platform.Scheduler.Informers;
using Platform.Scheduler.Queue;
using Platform.Scheduler.Tests.Support;

namespace Platform.Scheduler.Tests.Informers;

/// <summary>
/// The lock order between the informers and the scheduling cycle. A cycle holds the cache's lock while VolumeBinding
/// reads the claim informer; a claim event must therefore never wait for that lock while it holds the informer's, or
/// the two deadlock (seen in CI: a StatefulSet's first pod never scheduled, the scheduler stuck for good).
/// </summary>
public sealed class ClusterEventsLockTests
{
    [Fact]
    public void ClaimEvent_DuringACycle_MovesTheWaitingPod_WithoutWaitingForTheCycle()
    {
        using var http = new HttpClient { BaseAddress = new Uri("http://127.0.0.1:9") }; // never called: events are applied directly
        var informers = new SharedInformerFactory(new ApiClient(http), TimeProvider.System, NullLoggerFactory.Instance);
        var cache = new SchedulerCache();
        var queue = new SchedulingQueue(new QueueOptions(), TimeProvider.System);
        _ = new ClusterEvents(informers, cache, queue, new SchedulerOptions());
        var pod = new PodInfo(Make.Pod("web-0").With(s => s with
        {
            Volumes = [new Volume { Name = "data", PersistentVolumeClaim = new PersistentVolumeClaimVolumeSource { ClaimName = "data-web-0" } }],
        }));
        queue.AddOrUpdate(pod);
        var popped = queue.PopAsync(CancellationToken.None).Result;
        queue.AddUnschedulable(popped, queue.SchedulingCycle);
        Assert.True(queue.IsUnschedulable(pod.Key));

        var claims = informers.For<PersistentVolumeClaim>(ResourceKinds.PersistentVolumeClaim);
        var claim = new PersistentVolumeClaim { Metadata = new ObjectMeta { Name = "data-web-0", Namespace = pod.Namespace, ResourceVersion = "7" } };
        bool appliedWhileCycleRan;
        lock (cache.SyncRoot) // a scheduling cycle in progress
        {
            var apply = Task.Run(() => claims.Apply(claim, 7, deleted: false));
            appliedWhileCycleRan = apply.Wait(TimeSpan.FromSeconds(5));
            // The cycle then reads the informer, as VolumeBinding's PreFilter does. (Only when the event is through: if
            // it still held the informer's lock, this read would be the deadlock itself and the test would hang.)
            if (appliedWhileCycleRan) Assert.NotNull(claims.Get(pod.Namespace, "data-web-0"));
        }
        Assert.True(appliedWhileCycleRan, "the claim event waited for the scheduling cycle's lock while holding the informer's");
        Assert.False(queue.IsUnschedulable(pod.Key));
    }
}
