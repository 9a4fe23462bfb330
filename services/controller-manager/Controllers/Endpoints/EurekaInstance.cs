using Platform.Contracts.Registry;

namespace Platform.ControllerManager.Controllers.Endpoints;

/// <summary>
/// One ready pod port registered for a Service, under its namespaced application (<see cref="ServiceApplication"/>).
/// <paramref name="AllowRoutesFrom"/> is the Service's grant to other namespaces' gateway Routes, carried as metadata.
/// </summary>
internal sealed record EurekaInstance(ServiceApplication Service, string InstanceId, string Address, int Port, string PodName, string? AllowRoutesFrom)
{
    /// <summary>The Eureka application name (<c>WEB.TEAM-A</c>).</summary>
    public string App => Service.Application;
}
