namespace Platform.Discovery.Registry;

/// <summary>
/// Told of every change, in order, while the registry lock is held: implementations only enqueue
/// (a channel write, a cache flag) and never block.
/// </summary>
internal interface IRegistryObserver
{
    void OnChanged(RegistryChange change);
}
