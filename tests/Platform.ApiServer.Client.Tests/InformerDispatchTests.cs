using Microsoft.Extensions.Logging.Abstractions;
using Platform.ApiServer.Client.Informers;
using Platform.Contracts.Resources;

namespace Platform.ApiServer.Client.Tests;

/// <summary>
/// Handlers run outside the store's lock: reading an informer never waits for a handler. Each test would deadlock if
/// handlers ran under the lock, so each bounds its wait and fails instead of hanging.
/// </summary>
public sealed class InformerDispatchTests : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = new Uri("http://127.0.0.1:9") }; // never called
    private readonly SharedInformerFactory _factory;

    public InformerDispatchTests() => _factory = new SharedInformerFactory(new ApiClient(_http), TimeProvider.System, NullLoggerFactory.Instance);

    public void Dispose() => _http.Dispose();

    private static T Named<T>(string name, long version) where T : Resource, new() =>
        new() { Metadata = new ObjectMeta { Name = name, Namespace = "default", ResourceVersion = version.ToString(System.Globalization.CultureInfo.InvariantCulture) } };

    [Fact]
    public void A_handler_that_waits_for_a_lock_does_not_block_a_reader_holding_that_lock()
    {
        // The scheduler's shape: a cycle holds its cache lock and reads claims; the claim handler takes the cache lock.
        var claims = _factory.For<PersistentVolumeClaim>(ResourceKinds.PersistentVolumeClaim);
        var cacheLock = new object();
        var handled = 0;
        using var entered = new ManualResetEventSlim();
        claims.OnChange((_, _) => { entered.Set(); lock (cacheLock) handled++; });

        bool applied;
        PersistentVolumeClaim? read;
        lock (cacheLock)
        {
            var apply = Task.Run(() => claims.Apply(Named<PersistentVolumeClaim>("data", 5), 5, deleted: false));
            Assert.True(entered.Wait(TimeSpan.FromSeconds(5)), "the handler never ran");
            // The handler is now waiting for cacheLock; the store is not locked, so this read answers.
            var get = Task.Run(() => claims.Get("default", "data"));
            read = get.Wait(TimeSpan.FromSeconds(5)) ? get.Result : null;
            applied = apply.IsCompleted;
        }
        Assert.NotNull(read);
        Assert.False(applied); // Apply returns only once its handlers ran, and the handler was waiting for cacheLock
        SpinWait.SpinUntil(() => Volatile.Read(ref handled) == 1, TimeSpan.FromSeconds(5));
        Assert.Equal(1, handled);
    }

    [Fact]
    public async Task Two_informers_whose_handlers_read_each_other_apply_concurrently_without_deadlock()
    {
        // The controller-manager's shape: a pod handler reads replica sets (the deployment controller), a replica set
        // handler reads pods (the garbage collector on a deletion).
        var pods = _factory.For<Pod>(ResourceKinds.Pod);
        var sets = _factory.For<ReplicaSet>(ResourceKinds.ReplicaSet);
        pods.OnChange((_, _) => { Thread.Sleep(1); GC.KeepAlive(sets.List()); });
        sets.OnChange((_, _) => { Thread.Sleep(1); GC.KeepAlive(pods.List()); });

        var a = Task.Run(() => { for (var v = 1; v <= 200; v++) pods.Apply(Named<Pod>($"p{v % 7}", v), v, deleted: false); });
        var b = Task.Run(() => { for (var v = 1; v <= 200; v++) sets.Apply(Named<ReplicaSet>($"r{v % 7}", v), v, deleted: false); });
        var both = Task.WhenAll(a, b);
        Assert.Same(both, await Task.WhenAny(both, Task.Delay(TimeSpan.FromSeconds(30))));
        Assert.Equal(7, pods.Count);
        Assert.Equal(7, sets.Count);
    }

    [Fact]
    public void Notifications_reach_each_handler_in_the_order_of_the_changes_and_a_late_handler_sees_the_store_first()
    {
        var pods = _factory.For<Pod>(ResourceKinds.Pod);
        var first = new List<string>();
        pods.OnChange((old, now) => first.Add(now is null ? $"-{old!.Metadata.Name}" : $"{now.Metadata.Name}@{now.Metadata.ResourceVersion}"));
        pods.Apply(Named<Pod>("a", 1), 1, deleted: false);
        pods.Apply(Named<Pod>("a", 2), 2, deleted: false);
        pods.Apply(Named<Pod>("b", 3), 3, deleted: false);
        pods.Apply(Named<Pod>("a", 4), 4, deleted: true);

        var late = new List<string>();
        pods.OnChange((old, now) => late.Add(now is null ? $"-{old!.Metadata.Name}" : $"{now.Metadata.Name}@{now.Metadata.ResourceVersion}"));
        pods.Apply(Named<Pod>("c", 5), 5, deleted: false);

        Assert.Equal(["a@1", "a@2", "b@3", "-a", "c@5"], first);
        Assert.Equal(["b@3", "c@5"], late);
    }
}
