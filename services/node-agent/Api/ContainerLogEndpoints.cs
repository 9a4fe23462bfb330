using System.Net.Http.Headers;
using Microsoft.Extensions.Options;
using Platform.ApiServer.Client;

namespace Platform.NodeAgent.Api;

/// <summary>
/// kubelet's <c>GET /containerLogs/{namespace}/{pod}/{container}</c> on the agent's Kestrel port, reached through the
/// apiserver's <c>pods/log</c>; <see cref="KubeletAuthFilter"/> keeps everyone else out.
/// </summary>
internal static class ContainerLogEndpoints
{
    public static IServiceCollection AddKubeletApi(this IServiceCollection services)
    {
        services.AddSingleton<KubeletEndpoint>();
        services.AddSingleton<TokenReviewer>();
        services.AddSingleton<ContainerLogReader>();
        // The agent's own token (node role) is allowed to ask the apiserver about other tokens.
        services.AddHttpClient(TokenReviewer.HttpClientName, (sp, http) =>
        {
            var o = sp.GetRequiredService<IOptions<NodeAgentOptions>>().Value;
            http.BaseAddress = ApiServerEndpoints.Parse(o.ApiServerUrl, "NodeAgent:ApiServerUrl").Replicas[0];
            http.Timeout = TimeSpan.FromSeconds(10);
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", o.Token);
        }).ConfigurePrimaryHttpMessageHandler(sp => ApiServerTrust.Handler(sp.GetRequiredService<IOptions<NodeAgentOptions>>().Value.ApiServerCaFile));
        return services;
    }

    public static IEndpointRouteBuilder MapKubeletApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/containerLogs").AddEndpointFilter<KubeletAuthFilter>().MapGet("/{namespace}/{pod}/{container}", GetLogs);
        return app;
    }

    public static async Task<IResult> GetLogs(HttpContext ctx, string @namespace, string pod, string container, ContainerLogReader logs, CancellationToken ct)
    {
        LogQuery q;
        try
        {
            q = LogQuery.Parse(ctx.Request.Query);
        }
        catch (FormatException ex)
        {
            return KubeletAuthFilter.Problem(400, "BadRequest", ex.Message);
        }
        try
        {
            var (id, status, reason) = await logs.FindAsync(@namespace, pod, container, q.PodUid, q.Previous, ct);
            if (id is null) return KubeletAuthFilter.Problem(status, status == 404 ? "NotFound" : "BadRequest", reason!);
            ctx.Response.ContentType = "text/plain; charset=utf-8";
            // Headers go out before the first log line, so a quiet followed container still answers at once.
            await ctx.Response.StartAsync(ct);
            await logs.CopyAsync(id, q, ctx.Response.Body, ct);
        }
        catch (Exception ex) when (ct.IsCancellationRequested && ex is OperationCanceledException or ObjectDisposedException or IOException)
        {
            // The client went away (a follow ended with Ctrl+C): nothing left to answer.
        }
        catch (Docker.DotNet.DockerContainerNotFoundException) when (!ctx.Response.HasStarted)
        {
            return KubeletAuthFilter.Problem(404, "NotFound", $"container \"{container}\" in pod \"{pod}\" was removed");
        }
        catch (Exception ex) when (!ctx.Response.HasStarted && ex is Docker.DotNet.DockerApiException or HttpRequestException or IOException or TimeoutException)
        {
            return KubeletAuthFilter.Problem(503, "ServiceUnavailable", $"the container runtime did not answer: {ex.Message}");
        }
        return TypedResults.Empty;
    }
}
