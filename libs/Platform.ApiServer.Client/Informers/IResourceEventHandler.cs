namespace Platform.ApiServer.Client.Informers;

/// <summary>
/// What an <see cref="Informer{T}"/> tells its handlers, in the order it applied the changes: each object is seen once
/// per resourceVersion. Handlers run on the informer's thread: keep them short (enqueue a key) and do not block.
/// </summary>
public interface IResourceEventHandler<in T>
{
    void OnAdd(T obj);

    /// <summary>A newer version; on a periodic resync old and new are the same object.</summary>
    void OnUpdate(T old, T now);

    /// <summary>The last state the informer held.</summary>
    void OnDelete(T obj);
}

/// <summary>An <see cref="IResourceEventHandler{T}"/> made of delegates; the missing ones do nothing.</summary>
public sealed class ResourceEventHandlerFuncs<T>(Action<T>? added = null, Action<T, T>? updated = null, Action<T>? deleted = null) : IResourceEventHandler<T>
{
    public void OnAdd(T obj) => added?.Invoke(obj);

    public void OnUpdate(T old, T now) => updated?.Invoke(old, now);

    public void OnDelete(T obj) => deleted?.Invoke(obj);
}
