using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Platform.ApiServer.Client;
using Platform.ApiServer.Client.Informers;
using Platform.Contracts.Resources;
using Platform.ControllerManager.Controllers.EndpointSlice;
using Platform.ControllerManager.Controllers.GarbageCollector;
using Platform.ControllerManager.Informers;
using Platform.Testing;

namespace Platform.ControllerManager.Tests.Controllers.EndpointSlice;

using Slice = Platform.Contracts.Resources.EndpointSlice;

/// <summary>
/// The EndpointSlice controller and the garbage collector against <see cref="InMemoryApi"/>, with informers the test
/// feeds: what the controllers write comes back to their caches at once, as the apiserver's events would.
/// </summary>
internal sealed class EndpointSliceHarness : IAsyncDisposable
{
    public const string Ns = "eps";
    private readonly HttpClient _http;
    private readonly List<Microsoft.Extensions.Hosting.BackgroundService> _controllers = [];
    private int _version = 10;

    public EndpointSliceHarness(int maxPerSlice = 100)
    {
        _http = new HttpClient(Api) { BaseAddress = new Uri("http://apiserver.test") };
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var client = new ApiClient(_http);
        Informers = new ClusterInformers(new SharedInformerFactory(client, time, NullLoggerFactory.Instance));
        var options = Options.Create(new ControllerManagerOptions { Workers = 1, MaxEndpointsPerSlice = maxPerSlice });
        Slices = new EndpointSliceController(Informers, client, options, time, NullLogger<EndpointSliceController>.Instance);
        Collector = new GarbageCollector(Informers, client, options, time, NullLogger<GarbageCollector>.Instance);
        Api.Written = Echo;
    }

    public InMemoryApi Api { get; } = new();
    public ClusterInformers Informers { get; }
    public EndpointSliceController Slices { get; }
    public GarbageCollector Collector { get; }

    public string SlicesPath => ResourceKinds.EndpointSlice.CollectionPath(Ns);

    /// <summary>The caches' first lists (empty but for <paramref name="services"/>), then the controllers start.</summary>
    public async Task StartAsync(bool collector = false, params Service[] services)
    {
        Informers.Services.Replace(services, 1);
        foreach (var informer in new IInformer[] { Informers.Pods, Informers.ReplicaSets, Informers.Deployments, Informers.Nodes, Informers.Leases, Informers.Namespaces,
            Informers.ServiceAccounts, Informers.ClusterRoles, Informers.ResourceQuotas, Informers.ConfigMaps, Informers.Secrets, Informers.EndpointSlices, Informers.Endpoints,
            Informers.Jobs, Informers.CronJobs, Informers.PersistentVolumes, Informers.PersistentVolumeClaims, Informers.StorageClasses,
            Informers.DaemonSets, Informers.StatefulSets, Informers.ControllerRevisions })
            Replace(informer);
        _controllers.Add(Slices);
        if (collector) _controllers.Add(Collector);
        foreach (var c in _controllers) await c.StartAsync(CancellationToken.None);
    }

    private static void Replace(IInformer informer)
    {
        switch (informer)
        {
            case Informer<Pod> i: i.Replace([], 1); break;
            case Informer<ReplicaSet> i: i.Replace([], 1); break;
            case Informer<Deployment> i: i.Replace([], 1); break;
            case Informer<Node> i: i.Replace([], 1); break;
            case Informer<Lease> i: i.Replace([], 1); break;
            case Informer<Namespace> i: i.Replace([], 1); break;
            case Informer<ServiceAccount> i: i.Replace([], 1); break;
            case Informer<ClusterRole> i: i.Replace([], 1); break;
            case Informer<ResourceQuota> i: i.Replace([], 1); break;
            case Informer<ConfigMap> i: i.Replace([], 1); break;
            case Informer<Secret> i: i.Replace([], 1); break;
            case Informer<Slice> i: i.Replace([], 1); break;
            case Informer<Endpoints> i: i.Replace([], 1); break;
            case Informer<Job> i: i.Replace([], 1); break;
            case Informer<CronJob> i: i.Replace([], 1); break;
            case Informer<PersistentVolume> i: i.Replace([], 1); break;
            case Informer<PersistentVolumeClaim> i: i.Replace([], 1); break;
            case Informer<StorageClass> i: i.Replace([], 1); break;
            case Informer<DaemonSet> i: i.Replace([], 1); break;
            case Informer<StatefulSet> i: i.Replace([], 1); break;
            case Informer<ControllerRevision> i: i.Replace([], 1); break;
        }
    }

    public static Service Service(string name, string? targetPort = "http", bool publishNotReady = false, params string[] extraPorts) => new()
    {
        ApiVersion = "v1", Kind = "Service",
        Metadata = new ObjectMeta { Name = name, Namespace = Ns, Uid = "svc-" + name, ResourceVersion = "5" },
        Spec = new ServiceSpec
        {
            Selector = new() { ["app"] = name },
            PublishNotReadyAddresses = publishNotReady,
            Ports = [new ServicePort { Name = "web", Port = 80, Protocol = "TCP", TargetPort = targetPort is null ? new IntOrString(8080) : new IntOrString(targetPort) },
                .. extraPorts.Select(p => new ServicePort { Name = p, Port = 9000, Protocol = "TCP", TargetPort = new IntOrString(p) })],
        },
    };

    public static Pod Pod(string name, string app, string ip, bool ready, int httpPort = 8080, bool namedPort = true) => new()
    {
        ApiVersion = "v1", Kind = "Pod",
        Metadata = new ObjectMeta { Name = name, Namespace = Ns, Uid = "uid-" + name, Labels = new() { ["app"] = app } },
        Spec = new PodSpec
        {
            NodeName = "node-1",
            Containers = [new Container { Name = "c", Image = "busybox", Ports = namedPort ? [new ContainerPort { Name = "http", Port = httpPort }] : null }],
        },
        Status = new PodStatus
        {
            Phase = "Running", PodIP = ip,
            Conditions = [new Condition { Type = "Ready", Status = ready ? "True" : "False" }],
        },
    };

    /// <summary>The pod as the cache sees a new version of it.</summary>
    public void Observe(Pod pod) => Informers.Pods.Observe(pod with { Metadata = pod.Metadata with { ResourceVersion = Next() } });

    public void Delete(Pod pod) => Informers.Pods.Apply(pod with { Metadata = pod.Metadata with { ResourceVersion = Next() } }, long.Parse(Next()), deleted: true);

    public void Observe(Service svc) => Informers.Services.Observe(svc with { Metadata = svc.Metadata with { ResourceVersion = Next() } });

    public void DeleteService(Service svc) => Informers.Services.Apply(svc, long.Parse(Next()), deleted: true);

    public List<Slice> StoredSlices() => Api.Under(SlicesPath).Select(o => o.Deserialize<Slice>(ResourceJson.Options)!).OrderBy(s => s.Metadata.Name, StringComparer.Ordinal).ToList();

    /// <summary>Waits until the stored slices satisfy <paramref name="condition"/> and no write has happened for a moment (the controller is idle).</summary>
    public async Task<List<Slice>> SettledAsync(Func<List<Slice>, bool> condition, string what)
    {
        var slices = await Eventually.WaitAsync(() => Task.FromResult(condition(StoredSlices()) ? StoredSlices() : null), TimeSpan.FromSeconds(10), what);
        int before;
        do
        {
            before = Api.Writes.Count;
            await Task.Delay(200);
        }
        while (Api.Writes.Count != before);
        return StoredSlices();
    }

    private string Next() => Interlocked.Increment(ref _version).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private void Echo(string verb, JsonObject obj)
    {
        var version = long.Parse((string)obj["metadata"]!["resourceVersion"]!, System.Globalization.CultureInfo.InvariantCulture);
        var deleted = verb == "delete";
        if ((string?)obj["kind"] == "EndpointSlice") Informers.EndpointSlices.Apply(obj.Deserialize<Slice>(ResourceJson.Options)!, version, deleted);
        else if ((string?)obj["kind"] == "Endpoints") Informers.Endpoints.Apply(obj.Deserialize<Endpoints>(ResourceJson.Options)!, version, deleted);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var c in _controllers)
        {
            await c.StopAsync(CancellationToken.None);
            c.Dispose();
        }
        _http.Dispose();
        Api.Dispose();
    }
}
