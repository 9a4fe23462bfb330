namespace Platform.ApiServer.Client.Informers;

/// <summary>
/// How an <see cref="Informer{T}"/> hands changes to its handlers: a change to the store queues one notification per
/// change (under the store's lock, with the handlers registered at that moment), and the thread that made the change
/// delivers the queue after releasing the store's lock, under a lock of its own that keeps deliveries in order.
/// <para>Handlers used to run under the store's lock. A handler that took a lock of its own (the scheduler's cache)
/// then deadlocked against a thread holding that lock and reading the informer (a scheduling cycle reading claims);
/// two informers whose handlers read each other (pods → replica sets, replica sets → pods) could do the same. Reads
/// never wait for a handler now.</para>
/// <para>When <see cref="Apply"/>, <see cref="Replace"/> or a resync returns, every notification it queued has been
/// delivered, by this thread or by another one that was delivering at that moment.</para>
/// </summary>
public sealed partial class Informer<T>
{
    private readonly object _dispatch = new();
    private readonly Queue<(Action<IResourceEventHandler<T>> Call, IResourceEventHandler<T>[] Handlers)> _pending = new();
    /// <summary>Replaced, never changed in place: a queued notification keeps the handlers of its moment.</summary>
    private IResourceEventHandler<T>[] _handlers = [];

    /// <summary>Adds a handler; it first sees every object held as added, as client-go does for late handlers.</summary>
    public void AddEventHandler(IResourceEventHandler<T> handler)
    {
        T[] held;
        // Under the delivery lock, so nothing newer reaches this handler before its replay of what is held.
        lock (_dispatch)
        {
            lock (_lock)
            {
                _handlers = [.. _handlers, handler];
                held = [.. _items.Values.Select(e => e.Obj)];
            }
            foreach (var obj in held) Call(handler, h => h.OnAdd(obj));
        }
        Dispatch();
    }

    /// <summary>Queues a notification for the handlers registered now. Called under the store's lock.</summary>
    private void Notify(Action<IResourceEventHandler<T>> call)
    {
        if (_handlers.Length > 0) _pending.Enqueue((call, _handlers));
    }

    /// <summary>Delivers every queued notification in order. Never called under the store's lock.</summary>
    private void Dispatch()
    {
        lock (_dispatch)
        {
            while (true)
            {
                (Action<IResourceEventHandler<T>> Call, IResourceEventHandler<T>[] Handlers) next;
                lock (_lock)
                    if (!_pending.TryDequeue(out next)) return;
                foreach (var handler in next.Handlers) Call(handler, next.Call);
            }
        }
    }

    private void Call(IResourceEventHandler<T> handler, Action<IResourceEventHandler<T>> call)
    {
        try
        {
            call(handler);
        }
        catch (Exception ex)
        {
            LogHandlerFailed(_log, ex, Kind.Plural);
        }
    }
}
