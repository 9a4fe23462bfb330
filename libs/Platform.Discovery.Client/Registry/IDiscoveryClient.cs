namespace Platform.Discovery.Client.Registry;

/// <summary>The locally cached registry, refreshed every <c>eureka:client:registryFetchIntervalSeconds</c>.</summary>
public interface IDiscoveryClient
{
    /// <summary>Upper-case names of the applications with instances.</summary>
    IReadOnlyCollection<string> Services { get; }

    /// <summary>Instances of an application (any case); only UP ones when <c>shouldFilterOnlyUpInstances</c>.</summary>
    IReadOnlyList<EurekaInstance> GetInstances(string serviceId);

    /// <summary>Fetches now instead of waiting for the next interval.</summary>
    Task RefreshAsync(CancellationToken cancellationToken = default);
}
