using System.Text.Json.Nodes;
using Platform.ApiServer.Auth;
using Platform.ApiServer.Problems;

namespace Platform.ApiServer.Api;

/// <summary>
/// <c>POST /apis/auth.platform.io/v1/tokenreviews</c>: who a bearer token belongs to, for components that authenticate
/// their own callers against the apiserver (node agents, as kubelet's webhook authentication uses Kubernetes'
/// TokenReview). Only node and admin tokens may ask, since an answer tells whether a token is valid.
/// </summary>
internal static class TokenReviewEndpoints
{
    public static IEndpointRouteBuilder MapTokenReviewApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/apis/auth.platform.io/v1/tokenreviews", Review).RequireAuthorization().AddEndpointFilter<ApiProblemFilter>();
        return app;
    }

    public static async Task<IResult> Review(HttpContext ctx, BodyReader reader, Authenticator authenticator, CancellationToken ct)
    {
        var caller = BearerTokenHandler.CallerOf(ctx);
        if (caller.Role is not (Role.Node or Role.Admin))
            throw ApiProblem.Forbidden($"{caller.Role.ToString().ToLowerInvariant()} token \"{caller.Name}\" may not create tokenreviews: node and admin tokens only");
        var body = await reader.ReadObjectAsync(ctx.Request, ct);
        if ((string?)body["spec"]?["token"] is not { Length: > 0 and <= Authenticator.MaxTokenLength } token)
            throw ApiProblem.BadRequest("spec.token", $"required (at most {Authenticator.MaxTokenLength} characters)");
        var user = await authenticator.AuthenticateAsync(token, ct);
        var status = new JsonObject { ["authenticated"] = user is not null };
        if (user is not null)
            status["user"] = new JsonObject
            {
                ["username"] = user.Name, ["role"] = user.Role.ToString().ToLowerInvariant(), ["namespace"] = user.Namespace, ["nodeName"] = user.NodeName,
            };
        var review = new JsonObject { ["apiVersion"] = "auth.platform.io/v1", ["kind"] = "TokenReview", ["status"] = status };
        return TypedResults.Content(review.ToJsonString(), "application/json", statusCode: StatusCodes.Status201Created);
    }
}
