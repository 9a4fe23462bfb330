using System.Text.Json;
using Microsoft.Extensions.Options;
using Platform.ApiServer.Auth;
using Platform.ApiServer.Resources;
using Platform.Contracts.Resources;
using Platform.ApiServer.Problems;

namespace Platform.ApiServer.Api;

/// <summary>
/// <c>GET /api/v1/namespaces/{ns}/pods/{name}/log</c> (the <c>pods/log</c> subresource): authorizes the caller,
/// resolves the pod's node and container, and streams the node agent's <c>/containerLogs</c> answer through.
/// </summary>
internal static class PodLogEndpoints
{
    public static IServiceCollection AddPodLogs(this IServiceCollection services)
    {
        services.AddOptions<KubeletClientOptions>().BindConfiguration(KubeletClientOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<KubeletClientOptions>, KubeletClientOptionsValidator>();
        services.AddSingleton<KubeletClientCredential>();
        services.AddSingleton<KubeletProxy>();
        services.AddHttpClient(KubeletProxy.HttpClientName, http => http.Timeout = Timeout.InfiniteTimeSpan) // follow streams run for as long as the client reads
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                ConnectTimeout = sp.GetRequiredService<IOptions<KubeletClientOptions>>().Value.ConnectTimeout, UseProxy = false, AllowAutoRedirect = false,
            });
        return services;
    }

    public static IEndpointRouteBuilder MapPodLogApi(this IEndpointRouteBuilder app)
    {
        // Literal segments outrank the generic /{plural}/{name}/{subresource} route of ResourceEndpoints.
        app.MapGet("/api/v1/namespaces/{namespace}/pods/{name}/log", GetLog).RequireAuthorization().AddEndpointFilter<ApiProblemFilter>();
        return app;
    }

    public static async Task<IResult> GetLog(HttpContext ctx, string @namespace, string name, ResourceService resources, KubeletProxy kubelet, Authorizer auth, CancellationToken ct)
    {
        if (!LabelNames.IsDns1123Label(@namespace)) throw ApiProblem.NotFound($"namespaces \"{PodAgent.Short(@namespace)}\" not found (not a valid namespace name)");
        var caller = BearerTokenHandler.CallerOf(ctx);
        auth.Check(caller, Verb.Get, ResourceKinds.Pod, @namespace, "log", name);
        var q = PodLogQuery.Parse(ctx.Request.Query);
        var pod = (await resources.GetAsync(caller, ResourceKinds.Pod, @namespace, name, ct)).Body.Deserialize<Pod>(ResourceJson.Options)!;
        var container = PodAgent.ContainerOf(pod, q.Container);
        var status = pod.Status?.ContainerStatuses?.FirstOrDefault(s => s.Name == container);
        if (pod.Spec.NodeName is { Length: > 0 } && !q.Previous && status is { RestartCount: 0, State.Waiting: { } waiting })
            throw ApiProblem.BadRequest("container", $"container \"{container}\" in pod \"{name}\" is waiting to start: {waiting.Reason}");
        var (nodeName, agent) = await PodAgent.LocateAsync(resources, pod, ct);
        var target = new Uri(agent, $"/containerLogs/{Uri.EscapeDataString(@namespace)}/{Uri.EscapeDataString(name)}/{Uri.EscapeDataString(container)}");
        await kubelet.StreamAsync(ctx, nodeName, new Uri(target + q.AgentQuery(PodAgent.AgentUid(pod))), ct);
        return TypedResults.Empty;
    }
}
