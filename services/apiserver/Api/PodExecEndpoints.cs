using System.Text.Json;
using Platform.ApiServer.Auth;
using Platform.ApiServer.Problems;
using Platform.ApiServer.Resources;
using Platform.Contracts.Resources;
using Platform.RemoteCommand;

namespace Platform.ApiServer.Api;

/// <summary>
/// <c>GET|POST /api/v1/namespaces/{ns}/pods/{name}/exec</c> and <c>/attach</c>: the caller needs <c>create</c> on
/// <c>pods/exec</c> (or <c>pods/attach</c>) in the pod's namespace, as in Kubernetes; the stream is a WebSocket with
/// the remote command channel protocol (v5, v4), relayed to the agent of the pod's node.
/// </summary>
internal static class PodExecEndpoints
{
    public static IServiceCollection AddPodExec(this IServiceCollection services) => services.AddSingleton<KubeletStreamProxy>();

    public static IEndpointRouteBuilder MapPodExecApi(this IEndpointRouteBuilder app)
    {
        // Literal segments outrank the generic /{plural}/{name}/{subresource} route of ResourceEndpoints.
        string[] methods = [HttpMethods.Get, HttpMethods.Post];
        app.MapMethods("/api/v1/namespaces/{namespace}/pods/{name}/exec", methods, Exec).RequireAuthorization().AddEndpointFilter<ApiProblemFilter>();
        app.MapMethods("/api/v1/namespaces/{namespace}/pods/{name}/attach", methods, Attach).RequireAuthorization().AddEndpointFilter<ApiProblemFilter>();
        return app;
    }

    public static Task<IResult> Exec(HttpContext ctx, string @namespace, string name, ResourceService resources, KubeletStreamProxy proxy, Authorizer auth, CancellationToken ct) =>
        StreamAsync(ctx, "exec", @namespace, name, resources, proxy, auth, ct);

    public static Task<IResult> Attach(HttpContext ctx, string @namespace, string name, ResourceService resources, KubeletStreamProxy proxy, Authorizer auth, CancellationToken ct) =>
        StreamAsync(ctx, "attach", @namespace, name, resources, proxy, auth, ct);

    private static async Task<IResult> StreamAsync(HttpContext ctx, string subresource, string ns, string name, ResourceService resources, KubeletStreamProxy proxy, Authorizer auth, CancellationToken ct)
    {
        if (!LabelNames.IsDns1123Label(ns)) throw ApiProblem.NotFound($"namespaces \"{PodAgent.Short(ns)}\" not found (not a valid namespace name)");
        var caller = BearerTokenHandler.CallerOf(ctx);
        auth.Check(caller, Verb.Create, ResourceKinds.Pod, ns, subresource, name);
        var q = PodStreamQuery.Parse(ctx.Request.Query, exec: subresource == "exec");
        var pod = (await resources.GetAsync(caller, ResourceKinds.Pod, ns, name, ct)).Body.Deserialize<Pod>(ResourceJson.Options)!;
        var container = PodAgent.ContainerOf(pod, q.Container);
        if (pod.Status?.Phase is "Succeeded" or "Failed")
            throw ApiProblem.BadRequest($"cannot {(subresource == "exec" ? "exec into" : "attach to")} a container in a completed pod; current phase is {pod.Status.Phase}");
        var (nodeName, agent) = await PodAgent.LocateAsync(resources, pod, ct);
        // Checked last, as kubectl reads it: a refused WebSocket upgrade makes kubectl retry with SPDY, and the Status of
        // that second answer is what it prints, so a real problem (above) must win over "SPDY is not served".
        var (protocol, refusal) = StreamProtocol.ForUpgrade(ctx.WebSockets.IsWebSocketRequest, ctx.Request.Headers.Upgrade, ctx.WebSockets.WebSocketRequestedProtocols);
        if (protocol is null) throw ApiProblem.BadRequest(refusal!);
        var offered = ctx.WebSockets.WebSocketRequestedProtocols.Where(StreamProtocol.Supported.Contains).ToList();
        var target = new Uri(agent, $"/{subresource}/{Uri.EscapeDataString(ns)}/{Uri.EscapeDataString(name)}/{Uri.EscapeDataString(container)}");
        await proxy.RelayAsync(ctx, nodeName, new Uri(target + q.AgentQuery(PodAgent.AgentUid(pod))), offered, ct);
        return TypedResults.Empty;
    }
}
