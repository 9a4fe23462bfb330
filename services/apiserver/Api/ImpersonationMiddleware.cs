using Platform.ApiServer.Auth;
using Platform.ApiServer.Problems;

namespace Platform.ApiServer.Api;

/// <summary>
/// Runs after authentication: a request with <c>Impersonate-*</c> headers acts as the user they name once
/// <see cref="Impersonation"/> has checked the caller may impersonate it; a refusal is a 403 (or 400) Status or
/// ProblemDetails, as the client asks, before any endpoint runs.
/// </summary>
internal static class ImpersonationMiddleware
{
    public static async Task InvokeAsync(HttpContext ctx, RequestDelegate next)
    {
        var headers = ctx.Request.Headers;
        var extras = headers.Where(h => h.Key.StartsWith(Impersonation.ExtraPrefix, StringComparison.OrdinalIgnoreCase)).ToList();
        if (!headers.ContainsKey(Impersonation.UserHeader) && !headers.ContainsKey(Impersonation.GroupHeader) && !headers.ContainsKey(Impersonation.UidHeader) && extras.Count == 0)
        {
            await next(ctx);
            return;
        }
        try
        {
            if (ctx.Items[BearerTokenHandler.CallerItem] is not Caller caller)
                throw new ApiProblem(401, "Unauthorized", "impersonation needs an authenticated caller (Authorization: Bearer <token>)");
            var authorizer = ctx.RequestServices.GetRequiredService<Authorizer>();
            ctx.Items[BearerTokenHandler.CallerItem] = Impersonation.Impersonate(caller, headers, extras, authorizer);
        }
        catch (ApiProblem p)
        {
            var result = ApiProblemFilter.WantsStatus(ctx.Request) ? ApiProblemFilter.ToStatus(p) : ApiProblemFilter.ToResult(p);
            await result.ExecuteAsync(ctx);
            return;
        }
        await next(ctx);
    }
}
