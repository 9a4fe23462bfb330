using Platform.NodeAgent.Api;

namespace Platform.NodeAgent.Streaming;

/// <summary>
/// kubelet's <c>/exec/{namespace}/{pod}/{container}</c> and <c>/attach/...</c> on the agent's port, reached through the
/// apiserver's <c>pods/exec</c> and <c>pods/attach</c>: WebSocket upgrades speaking the remote command channel protocol
/// (v5, v4). <see cref="KubeletAuthFilter"/> keeps everyone but the apiserver and admins out.
/// </summary>
internal static class StreamingEndpoints
{
    public static IServiceCollection AddStreamingApi(this IServiceCollection services)
    {
        services.AddSingleton<ExecProcessKiller>();
        services.AddSingleton<ContainerStreams>();
        services.AddHostedService<StreamingShutdown>();
        return services;
    }

    public static IEndpointRouteBuilder MapStreamingApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("").AddEndpointFilter<KubeletAuthFilter>();
        // client-go dials WebSockets with GET; SPDY clients use POST and get a clear 400.
        group.MapMethods("/exec/{namespace}/{pod}/{container}", [HttpMethods.Get, HttpMethods.Post], Exec);
        group.MapMethods("/attach/{namespace}/{pod}/{container}", [HttpMethods.Get, HttpMethods.Post], Attach);
        return app;
    }

    public static Task<IResult> Exec(HttpContext ctx, string @namespace, string pod, string container, ContainerStreams streams, CancellationToken ct) =>
        streams.ServeAsync(ctx, @namespace, pod, container, exec: true, ct);

    public static Task<IResult> Attach(HttpContext ctx, string @namespace, string pod, string container, ContainerStreams streams, CancellationToken ct) =>
        streams.ServeAsync(ctx, @namespace, pod, container, exec: false, ct);
}
