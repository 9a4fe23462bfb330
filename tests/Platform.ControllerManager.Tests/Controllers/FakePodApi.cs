using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Platform.Contracts.Resources;

namespace Platform.ControllerManager.Tests.Controllers;

/// <summary>
/// The apiserver calls a ReplicaSet reconcile makes, answered in memory so a test decides when the informer cache sees
/// what was written: pod creations are stored and returned but never published, and an adoption (a pod PATCH) can be
/// held until the test releases it, which parks the reconcile after it listed its pods.
/// </summary>
internal sealed class FakePodApi : HttpMessageHandler
{
    private readonly TaskCompletionSource _adoptionArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _version = 100;
    private int _statusWrites;

    public ConcurrentQueue<Pod> Created { get; } = new();

    public int StatusWrites => Volatile.Read(ref _statusWrites);

    /// <summary>Completes when a reconcile is parked in a held adoption.</summary>
    public Task AdoptionArrived => _adoptionArrived.Task;

    public void HoldAdoptions() => _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void ReleaseAdoptions() => _release.TrySetResult();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = request.RequestUri!.AbsolutePath;
        if (request.Method == HttpMethod.Post && path.EndsWith("/pods", StringComparison.Ordinal))
        {
            var pod = JsonSerializer.Deserialize<Pod>(await request.Content!.ReadAsStringAsync(cancellationToken), ResourceJson.Options)!;
            var n = Interlocked.Increment(ref _version);
            pod = pod with { Metadata = pod.Metadata with { Name = $"{pod.Metadata.GenerateName}{n}", Uid = Guid.NewGuid().ToString(), ResourceVersion = $"{n}" } };
            Created.Enqueue(pod);
            return Json(HttpStatusCode.Created, pod);
        }
        if (request.Method == HttpMethod.Patch && path.Contains("/pods/", StringComparison.Ordinal))
        {
            _adoptionArrived.TrySetResult();
            await _release.Task.WaitAsync(cancellationToken);
        }
        else if (request.Method == HttpMethod.Patch && path.EndsWith("/status", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _statusWrites);
        }
        return Json(request.Method == HttpMethod.Post ? HttpStatusCode.Created : HttpStatusCode.OK, new { });
    }

    private static HttpResponseMessage Json(HttpStatusCode status, object body) => new(status)
    {
        Content = new StringContent(JsonSerializer.Serialize(body, body.GetType(), ResourceJson.Options), Encoding.UTF8, "application/json"),
    };
}
