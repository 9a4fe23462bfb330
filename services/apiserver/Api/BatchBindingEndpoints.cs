using Platform.ApiServer.Auth;
using Platform.ApiServer.Problems;
using Platform.ApiServer.Resources;

namespace Platform.ApiServer.Api;

/// <summary>
/// <c>POST /apis/scheduling.platform.io/v1/batchbindings</c>: many <c>pods/binding</c> writes in one request and one
/// transaction, each item answered as <c>pods/binding</c> answers it (see <see cref="BatchBindingService"/>). Kubernetes
/// has no such call; the platform's scheduler sends its bindings here, one request per batch.
/// </summary>
internal static class BatchBindingEndpoints
{
    public const string Path = "/apis/scheduling.platform.io/v1/batchbindings";

    public static IEndpointRouteBuilder MapBatchBindingApi(this IEndpointRouteBuilder app)
    {
        app.MapPost(Path, Bind).RequireAuthorization().AddEndpointFilter<ApiProblemFilter>();
        return app;
    }

    public static async Task<IResult> Bind(HttpContext ctx, BodyReader reader, BatchBindingService bindings, CancellationToken ct)
    {
        var body = await reader.ReadObjectAsync(ctx.Request, ct);
        var result = await bindings.BindAllAsync(BearerTokenHandler.CallerOf(ctx), body, ct);
        return TypedResults.Content(result.ToJsonString(), "application/json", statusCode: StatusCodes.Status200OK);
    }
}
