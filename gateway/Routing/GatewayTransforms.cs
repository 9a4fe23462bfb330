using Yarp.ReverseProxy.Transforms;

namespace Platform.Gateway.Routing;

/// <summary>
/// The YARP transforms of every gateway route. The request transform applies what filters decided about the
/// destination (SetRequestUri, RequestHeaderToRequestUri, SetRequestHostHeader); the response transform (it runs
/// when the upstream's headers arrive) ends the attempt's response timeout, and through it Retry and CircuitBreaker
/// hold back an upstream answer.
/// </summary>
internal static class GatewayTransforms
{
    public static ValueTask ApplyRequest(RequestTransformContext context)
    {
        if (GatewayRequestState.Find(context.HttpContext) is not { } state) return ValueTask.CompletedTask;
        if (state.RequestUri is { } uri)
        {
            // A URI without a path keeps the request's path and query (Spring's SetRequestUri example); one with a
            // path is the whole URL (RequestHeaderToRequestUri's).
            context.ProxyRequest.RequestUri = uri.AbsolutePath == "/" && uri.Query.Length == 0 && !uri.OriginalString.EndsWith('/')
                ? new Uri(uri, context.Path.ToUriComponent() + (context.Query.QueryString.Value ?? ""))
                : uri;
        }
        if (state.RequestHost is { } host) context.ProxyRequest.Headers.Host = host;
        return ValueTask.CompletedTask;
    }

    public static ValueTask ApplyResponse(ResponseTransformContext context)
    {
        var state = GatewayRequestState.Find(context.HttpContext);
        if (context.ProxyResponse is not null) state?.UpstreamAnswered?.Invoke();
        // Retry and CircuitBreaker need the response unwritten to try again or fall back.
        if (context.ProxyResponse is { } response
            && state?.SuppressUpstreamBody is { } suppress
            && suppress((int)response.StatusCode))
        {
            context.SuppressResponseBody = true;
        }
        return ValueTask.CompletedTask;
    }
}
