namespace Platform.ApiServer.Api;

/// <summary>Turns <see cref="ApiProblem"/> into <c>application/problem+json</c> naming each invalid field.</summary>
internal sealed class ApiProblemFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (ApiProblem p)
        {
            return ToResult(p);
        }
    }

    public static IResult ToResult(ApiProblem p)
    {
        var extensions = new Dictionary<string, object?> { ["reason"] = p.Reason };
        if (p.Errors.Count > 0) extensions["errors"] = p.Errors;
        return TypedResults.Problem(detail: p.Message, statusCode: p.Status, title: p.Reason, extensions: extensions);
    }
}
