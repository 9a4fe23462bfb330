using Microsoft.AspNetCore.Http;

namespace Platform.Gateway.Routing;

/// <summary>
/// Serves Spring's <c>forward:/path</c> (CircuitBreaker's <c>fallbackUri</c>): the request is routed again from
/// the top of the gateway's pipeline with the new path, as ASP.NET's status-code re-execution does.
/// </summary>
public sealed class ForwardDispatcher
{
    internal RequestDelegate? Pipeline { get; set; }

    public async Task ForwardAsync(HttpContext context, string path)
    {
        var pipeline = Pipeline ?? throw new InvalidOperationException("the gateway pipeline is not built yet");
        var state = GatewayRequestState.Find(context);
        var exception = state?.FallbackException;
        var token = state?.AccessToken;
        context.SetEndpoint(null);
        context.Request.RouteValues.Clear();
        var fresh = new GatewayRequestState { FallbackException = exception, AccessToken = token };
        context.Features.Set(fresh);
        var q = path.IndexOf('?', StringComparison.Ordinal);
        context.Request.Path = q < 0 ? path : path[..q];
        if (q >= 0) context.Request.QueryString = new QueryString(path[q..]);
        await pipeline(context);
    }
}
