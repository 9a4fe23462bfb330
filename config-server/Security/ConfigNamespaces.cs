using System.Security.Claims;
using Platform.Contracts.Resources;

namespace Platform.ConfigServer.Security;

/// <summary>
/// Which namespace's ConfigMaps (and Secrets) a request reads, and whether it may: the <c>X-Config-Namespace</c> header (Spring
/// clients set it with <c>spring.cloud.config.headers.X-Config-Namespace</c>), else a ServiceAccount caller's own
/// namespace, else <paramref name="defaultNamespace"/> (<c>ConfigServer:ConfigMaps:Namespace</c>). Callers the
/// apiserver vouched for are checked with a SubjectAccessReview (<c>get configmaps</c> in that namespace); static
/// credentials (Basic, the static bearer) are the operator's and read only the default namespace. With security off,
/// any namespace is open. The reviewed caller is kept with the request (<see cref="CallerOf"/>) for the checks that
/// come per object: each Secret is served only if the caller may <c>get</c> it.
/// </summary>
internal sealed class ConfigNamespaces(DelegatedAuth delegated, string defaultNamespace)
{
    public const string Header = "X-Config-Namespace";
    private const string Item = "config.namespace";
    private const string CallerItem = "config.caller";

    /// <summary>The namespace the request was admitted to (set by <see cref="Filter"/>), or null when no backend is namespaced.</summary>
    public static string? Of(HttpContext ctx) => ctx.Items[Item] as string;

    /// <summary>The caller the apiserver vouched for, or null for static credentials (and with security off).</summary>
    public static ReviewedUser? CallerOf(HttpContext ctx) => ctx.Items[CallerItem] as ReviewedUser;

    /// <summary>An endpoint filter for the read API: resolves and authorizes the namespace, or answers 400/403.</summary>
    public static async ValueTask<object?> Filter(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var ctx = context.HttpContext;
        if (ctx.RequestServices.GetService<ConfigNamespaces>() is not { } namespaces) return await next(context);
        var (ns, caller, problem) = await namespaces.ResolveAsync(ctx);
        if (problem is not null) return problem;
        ctx.Items[Item] = ns;
        ctx.Items[CallerItem] = caller;
        return await next(context);
    }

    private async Task<(string? Namespace, ReviewedUser? Caller, IResult? Problem)> ResolveAsync(HttpContext ctx)
    {
        var requested = ctx.Request.Headers[Header].ToString();
        if (requested.Length > 0 && !LabelNames.IsDns1123Label(requested))
            return (null, null, Problem(400, "Bad Request", $"{Header}: '{Truncate(requested)}' is not a namespace name (a DNS-1123 label)"));
        var user = ctx.User;
        if (user.Identity?.IsAuthenticated != true) return (requested.Length > 0 ? requested : defaultNamespace, null, null);
        if (user.HasClaim(c => c.Type == BasicOrBearerHandler.StaticClaim))
        {
            if (requested.Length > 0 && requested != defaultNamespace)
                return (null, null, Problem(403, "Forbidden", $"{Header}: static credentials read namespace \"{defaultNamespace}\" only; " +
                    $"call with a token of namespace \"{requested}\" (a ServiceAccount's) to read its configuration"));
            return (defaultNamespace, null, null);
        }
        var reviewed = new ReviewedUser(user.Identity.Name ?? "", [.. user.FindAll(BasicOrBearerHandler.GroupClaim).Select(c => c.Value)]);
        var ns = requested.Length > 0 ? requested : reviewed.ServiceAccountNamespace ?? defaultNamespace;
        bool allowed;
        try { allowed = await delegated.MayGetAsync(reviewed, ns, "configmaps", null, ctx.RequestAborted); }
        catch (Exception ex) when (ex is HttpRequestException or Platform.ApiServer.Client.ApiException or TaskCanceledException)
        {
            return (null, null, Problem(503, "Service Unavailable", "the apiserver could not authorize the request: " + ex.Message));
        }
        return allowed ? (ns, reviewed, null)
            : (null, null, Problem(403, "Forbidden", $"User \"{reviewed.Name}\" cannot get configmaps in the namespace \"{ns}\""));
    }

    private static IResult Problem(int status, string title, string detail) => TypedResults.Problem(statusCode: status, title: title, detail: detail);

    private static string Truncate(string s) => s.Length > 64 ? s[..64] + "..." : s;
}
