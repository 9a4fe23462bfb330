using Microsoft.Extensions.Primitives;

namespace Platform.Discovery.Client.Registry;

/// <summary>The locally cached registry, refreshed every <c>eureka:client:registryFetchIntervalSeconds</c>.</summary>
public interface IDiscoveryClient
{
    /// <summary>Upper-case names of the applications with instances.</summary>
    IReadOnlyCollection<string> Services { get; }

    /// <summary>Instances of an application (any case); only UP ones when <c>shouldFilterOnlyUpInstances</c>.</summary>
    IReadOnlyList<EurekaInstance> GetInstances(string serviceId);

    /// <summary>The whole copy, instances of every status, with the hash code of the last fetch.</summary>
    EurekaApplications Applications { get; }

    /// <summary>Fires when an instance is added, removed or changes address, status or metadata.</summary>
    IChangeToken ChangeToken { get; }

    /// <summary>Fetches now instead of waiting for the next interval.</summary>
    Task RefreshAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Applies one instance change learnt between fetches (a registry event), so the copy need not wait for the next
    /// one: <see cref="EurekaInstance.ActionType"/> DELETED removes the instance, anything else adds or replaces it.
    /// A change older than the instance held (<see cref="EurekaInstance.LastUpdatedTimestamp"/>) is ignored; the next
    /// delta fetch still checks the whole copy against the registry's hash code.
    /// </summary>
    void Apply(EurekaInstance change);
}
