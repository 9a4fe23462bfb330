using Platform.Discovery.Replication;

namespace Platform.Discovery.Api;

public static class EurekaApiExtensions
{
    /// <summary>Maps the Eureka REST API under <c>/eureka</c>; mutating endpoints go through Basic auth when configured.</summary>
    public static IEndpointRouteBuilder MapEurekaApi(this IEndpointRouteBuilder endpoints)
    {
        var eureka = endpoints.MapGroup("/eureka").WithTags("Eureka");
        eureka.MapGet("/apps", QueryHandlers.All);
        eureka.MapGet("/apps/delta", QueryHandlers.Delta);
        eureka.MapGet("/apps/{app}", QueryHandlers.Application);
        eureka.MapGet("/apps/{app}/{id}", QueryHandlers.Instance);
        eureka.MapGet("/instances/{id}", QueryHandlers.InstanceById);
        eureka.MapGet("/vips/{vip}", QueryHandlers.Vip);
        eureka.MapGet("/svips/{svip}", QueryHandlers.Svip);

        var writes = eureka.MapGroup("").AddEndpointFilter<BasicAuthFilter>();
        writes.MapPost("/apps/{app}", RegistrationHandlers.Register);
        writes.MapPut("/apps/{app}/{id}", RegistrationHandlers.Heartbeat);
        writes.MapDelete("/apps/{app}/{id}", RegistrationHandlers.Cancel);
        writes.MapPut("/apps/{app}/{id}/status", RegistrationHandlers.SetStatus);
        writes.MapDelete("/apps/{app}/{id}/status", RegistrationHandlers.DeleteStatus);
        writes.MapPut("/apps/{app}/{id}/metadata", RegistrationHandlers.UpdateMetadata);
        writes.MapPost("/peerreplication/batch", ReplicationBatchHandler.Handle);
        return endpoints;
    }
}
