using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Platform.ApiServer.Auth.Rbac;

namespace Platform.ApiServer.Auth;

/// <summary>Authenticates <c>Authorization: Bearer &lt;token&gt;</c> through the <see cref="Authenticator"/>; 401/403 answers are ProblemDetails.</summary>
internal sealed class BearerTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, Authenticator authenticator, RbacAuthorizer rbac, IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";
    /// <summary>The <c>HttpContext.Items</c> key of the authenticated <see cref="Caller"/>.</summary>
    public const string CallerItem = "platform.caller";
    private static readonly TimeSpan RbacSyncWait = TimeSpan.FromSeconds(10);

    public static Caller CallerOf(HttpContext ctx) =>
        ctx.Items[CallerItem] as Caller ?? throw new InvalidOperationException("no authenticated caller on this request");

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(header)) return AuthenticateResult.NoResult();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.Length > Authenticator.MaxTokenLength + 7)
            return AuthenticateResult.Fail("the Authorization header must be 'Bearer <token>'");
        var token = header[7..].Trim();
        var caller = await authenticator.AuthenticateAsync(token, Context.RequestAborted);
        if (caller is null) return AuthenticateResult.Fail("the bearer token is not valid");
        // RBAC decides for every caller but admins; right after a start its informers may still be listing.
        if (caller.Role != Role.Admin && !rbac.HasSynced)
        {
            try { await rbac.WaitForSyncAsync(Context.RequestAborted).WaitAsync(RbacSyncWait, Context.RequestAborted); }
            catch (TimeoutException) { }
        }
        Context.Items[CallerItem] = caller;
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, caller.Name), new Claim(ClaimTypes.Role, caller.Role.ToString())], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails =
            {
                Status = 401, Title = "Unauthorized",
                Detail = result.Failure?.Message ?? "a bearer token is required (Authorization: Bearer <token>)",
                Extensions = { ["reason"] = "Unauthorized" },
            },
        });
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = { Status = 403, Title = "Forbidden", Detail = "this token may not use this endpoint", Extensions = { ["reason"] = "Forbidden" } },
        });
    }
}
