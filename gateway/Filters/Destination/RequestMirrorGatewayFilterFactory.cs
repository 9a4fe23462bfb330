using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Platform.Contracts.Registry;
using Platform.Gateway.Configuration;
using Platform.Gateway.Discovery;

namespace Platform.Gateway.Filters.Destination;

/// <summary>
/// Gateway API's <c>RequestMirror</c>, as HTTPRoutes become routes: a copy of each request (or <c>percent</c> of them)
/// goes to a ready endpoint of the Service <c>service</c> (<c>NAME</c> of the route's namespace or
/// <c>NAME.NAMESPACE</c>) on <c>port</c>, through its EndpointSlices; the copy's answer is dropped and its failure
/// never reaches the client. Bodies up to 1 MB with a known length are mirrored too (the request is buffered for it).
/// </summary>
internal sealed class RequestMirrorGatewayFilterFactory(IServiceProvider services) : BuiltInFilterFactory(FilterSchemas.RequestMirror)
{
    private const long MaxMirroredBody = 1 << 20;
    private static readonly HttpClient Client = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, UseProxy = false })
    { Timeout = TimeSpan.FromSeconds(10) };

    public override IGatewayFilter Create(ComponentArgs args, FilterContext context)
    {
        var name = args.Required("service");
        var service = ServiceApplication.Resolve(name, context.Route.Namespace ?? "default")
            ?? throw new GatewayArgumentException("service", $"'{name}' is neither NAME nor NAME.NAMESPACE");
        var port = args.Find("port");
        var percent = args.Find("percent") is null ? 100 : args.Int("percent", min: 0);
        return new DelegateGatewayFilter(async (ctx, next) =>
        {
            if (percent >= 100 || Random.Shared.Next(100) < percent) await MirrorAsync(ctx, service, port);
            await next(ctx);
        });
    }

    private async Task MirrorAsync(HttpContext ctx, ServiceApplication service, string? port)
    {
        if (services.GetService<ServiceEndpoints>()?.Resolve(service, port, null) is not { Count: > 0 } endpoints) return;
        var (_, address) = endpoints[Random.Shared.Next(endpoints.Count)];
        var request = ctx.Request;
        var copy = new HttpRequestMessage(new HttpMethod(request.Method), address + request.Path + request.QueryString);
        if (request.ContentLength is > 0 and <= MaxMirroredBody)
        {
            request.EnableBuffering();
            var body = new MemoryStream();
            await request.Body.CopyToAsync(body, ctx.RequestAborted);
            request.Body.Position = 0;
            copy.Content = new ByteArrayContent(body.ToArray());
        }
        foreach (var (key, value) in request.Headers)
        {
            if (key.Equals("Host", StringComparison.OrdinalIgnoreCase) || key.StartsWith(':')) continue;
            if (!copy.Headers.TryAddWithoutValidation(key, (IEnumerable<string?>)value)) copy.Content?.Headers.TryAddWithoutValidation(key, (IEnumerable<string?>)value);
        }
        copy.Headers.Host = request.Host.Value;
        _ = Task.Run(async () =>
        {
            using (copy)
            {
                try { using var _ = await Client.SendAsync(copy, HttpCompletionOption.ResponseHeadersRead); }
                catch (HttpRequestException) { }
                catch (TaskCanceledException) { }
            }
        });
    }
}
