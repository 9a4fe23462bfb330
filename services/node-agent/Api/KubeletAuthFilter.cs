using Microsoft.Extensions.Options;

namespace Platform.NodeAgent.Api;

/// <summary>
/// The agent's endpoints are not open: a bearer token is required (401 without one, or with one the apiserver does
/// not know) and only the apiserver's own identity or an admin may use them (403 for every other role), as kubelet
/// only serves <c>nodes/log</c> to callers the apiserver authorizes.
/// </summary>
internal sealed partial class KubeletAuthFilter(TokenReviewer reviewer, IOptions<NodeAgentOptions> options, ILogger<KubeletAuthFilter> log) : IEndpointFilter
{
    /// <summary>Roles (as the apiserver names them) allowed to read container logs, exec, attach and forward ports on this node.</summary>
    private static readonly string[] Allowed = ["apiserver", "admin"];

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var ctx = context.HttpContext;
        var header = ctx.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.Length is <= 7 or > 1024)
            return Unauthorized(ctx, "a bearer token is required (Authorization: Bearer <token>)");
        ReviewedUser? user;
        try
        {
            user = await reviewer.ReviewAsync(header[7..].Trim(), ctx.RequestAborted);
        }
        catch (HttpRequestException ex)
        {
            ReviewFailed(ex.Message);
            return Problem(503, "ServiceUnavailable", $"the apiserver could not review the token: {ex.Message}");
        }
        if (user is null) return Unauthorized(ctx, "the bearer token is not valid");
        if (!Allowed.Contains(user.Role))
            return Problem(403, "Forbidden",
                $"{user.Role} token \"{user.Name}\" may not use the agent's kubelet API (container logs, exec, attach, port forwarding) on node \"{options.Value.NodeName}\": only the apiserver or an admin may (use the pods/log, pods/exec, pods/attach and pods/portforward subresources on the apiserver)");
        return await next(context);
    }

    private static IResult Unauthorized(HttpContext ctx, string detail)
    {
        ctx.Response.Headers.WWWAuthenticate = "Bearer";
        return Problem(401, "Unauthorized", detail);
    }

    internal static IResult Problem(int status, string reason, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: reason, extensions: new Dictionary<string, object?> { ["reason"] = reason });

    [LoggerMessage(EventId = 600, Level = LogLevel.Warning, Message = "token review failed: {Error}")]
    private partial void ReviewFailed(string error);
}
