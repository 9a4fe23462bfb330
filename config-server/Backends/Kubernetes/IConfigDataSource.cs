using Platform.ConfigServer.Environment;
using Platform.Contracts.Resources;

namespace Platform.ConfigServer.Backends.Kubernetes;

/// <summary>One kind of apiserver object served as property sources (ConfigMaps, Secrets): what it holds and who may see it.</summary>
internal interface IConfigDataSource
{
    ResourceKind Kind { get; }

    /// <summary>The kind's events leave data out (Secrets): its informer reads each changed object from the apiserver.</summary>
    bool EventsOmitData { get; }

    ConfigDataStore Store { get; }

    /// <summary>
    /// Whether <paramref name="entry"/> of the namespace the request was admitted to goes to this caller. Throws
    /// <see cref="BackendUnavailableException"/> when that cannot be decided.
    /// </summary>
    ValueTask<bool> MayServeAsync(ConfigDataEntry entry, EnvironmentRequest request, CancellationToken cancellationToken);
}
