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

    public static async Task<IResult> GetLog(HttpContext ctx, string @namespace, string name, ResourceService resources, KubeletProxy kubelet, CancellationToken ct)
    {
        if (!LabelNames.IsDns1123Label(@namespace)) throw ApiProblem.NotFound($"namespaces \"{Short(@namespace)}\" not found (not a valid namespace name)");
        var caller = BearerTokenHandler.CallerOf(ctx);
        Authorizer.Check(caller, Verb.Get, ResourceKinds.Pod, @namespace, "log");
        var q = PodLogQuery.Parse(ctx.Request.Query);
        var pod = (await resources.GetAsync(caller, ResourceKinds.Pod, @namespace, name, ct)).Body.Deserialize<Pod>(ResourceJson.Options)!;
        var container = ContainerOf(pod, q.Container);
        var status = pod.Status?.ContainerStatuses?.FirstOrDefault(s => s.Name == container);
        if (pod.Spec.NodeName is { Length: > 0 } && !q.Previous && status is { RestartCount: 0, State.Waiting: { } waiting })
            throw ApiProblem.BadRequest("container", $"container \"{container}\" in pod \"{name}\" is waiting to start: {waiting.Reason}");
        var (nodeName, agent) = await NodeAgentAddress.OfAsync(resources, pod, ct);
        var target = new Uri($"http://{agent}/containerLogs/{Uri.EscapeDataString(@namespace)}/{Uri.EscapeDataString(name)}/{Uri.EscapeDataString(container)}");
        // A mirror pod's uid is the apiserver's; its containers carry the static pod's own uid (kubelet's too), and a
        // static pod's name is unique on its node, so the agent finds them by name.
        await kubelet.StreamAsync(ctx, nodeName, new Uri(target + q.AgentQuery(NodeAgentAddress.IsMirror(pod) ? null : pod.Metadata.Uid)), ct);
        return TypedResults.Empty;
    }

    /// <summary>The container named by <c>?container=</c>, or the only one; kubectl's messages otherwise.</summary>
    private static string ContainerOf(Pod pod, string? requested)
    {
        var names = pod.Spec.Containers.Select(c => c.Name!).ToList();
        var init = pod.Spec.InitContainers?.Select(c => c.Name!).ToList() ?? [];
        if (requested is null)
        {
            if (names.Count == 1) return names[0];
            var choices = $"a container name must be specified for pod {pod.Metadata.Name}, choose one of: [{string.Join(' ', names)}]"
                + (init.Count > 0 ? $" or one of the init containers: [{string.Join(' ', init)}]" : "");
            throw ApiProblem.BadRequest("container", choices);
        }
        if (names.Contains(requested) || init.Contains(requested)) return requested;
        throw ApiProblem.BadRequest("container", $"container {Short(requested)} is not valid for pod {pod.Metadata.Name} (choose one of: [{string.Join(' ', names.Concat(init))}])");
    }

    private static string Short(string s) => s.Length > 64 ? s[..64] + "..." : s;
}
