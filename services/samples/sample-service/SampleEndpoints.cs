using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Platform.Samples.SampleService;

internal static class SampleEndpoints
{
    public const string DiscoveryClientName = "discovery";

    /// <summary>A call to another service gives up after this, rather than holding the caller for HttpClient's 100 s default.</summary>
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(5);

    public static WebApplication MapSampleEndpoints(this WebApplication app)
    {
        var prefix = app.Services.GetRequiredService<IOptions<SampleOptions>>().Value.PathPrefix.Trim('/');
        var group = app.MapGroup("/" + prefix);
        group.MapGet("/check", Check);
        group.MapGet("/welcome", (IOptions<SampleOptions> o) => TypedResults.Text($"Welcome to the {o.Value.Name} service."));
        group.MapGet("/call/{service}/{**path}", CallAsync);
        group.MapMethods("/{**rest}", ["GET", "POST", "PUT", "DELETE", "PATCH"], Echo);
        app.MapGet("/info", (IOptions<SampleOptions> o, HttpContext c) => TypedResults.Ok(new { app = o.Value.Name, port = LocalPort(c) }));
        return app;
    }

    /// <summary>The seed's answer: <c>HI Port 12345</c>.</summary>
    private static ContentHttpResult Check(HttpContext context) => TypedResults.Text($"HI Port {LocalPort(context)}");

    /// <summary>What arrived, so a gateway test can see its filters (headers added, path rewritten).</summary>
    private static Ok<EchoResponse> Echo(HttpContext context, IOptions<SampleOptions> o) => TypedResults.Ok(new EchoResponse(
        o.Value.Name, LocalPort(context), context.Request.Method, context.Request.Path + context.Request.QueryString,
        context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase)));

    /// <summary>Calls another registered service by name: <c>http://{service}/{path}</c> through service discovery.</summary>
    private static async Task<Results<Ok<CallResponse>, ProblemHttpResult>> CallAsync(string service, string? path,
        IHttpClientFactory factory, HttpContext context, CancellationToken ct)
    {
        var client = factory.CreateClient(DiscoveryClientName);
        try
        {
            // WaitAsync as well as the client's timeout: resolving a name with no instance yet can wait inside
            // Microsoft.Extensions.ServiceDiscovery without observing the client's cancellation, and this endpoint must
            // answer (504) rather than hang with it.
            using var response = await client.GetAsync(new Uri($"http://{service}/{path}"), ct).WaitAsync(CallTimeout, ct);
            return TypedResults.Ok(new CallResponse(service, (int)response.StatusCode, await response.Content.ReadAsStringAsync(ct)));
        }
        catch (HttpRequestException ex)
        {
            return TypedResults.Problem(title: "Call failed", detail: $"service: '{service}' could not be reached ({ex.Message})",
                statusCode: StatusCodes.Status502BadGateway);
        }
        catch (Exception ex) when (ex is TaskCanceledException or TimeoutException && !ct.IsCancellationRequested)
        {
            return TypedResults.Problem(title: "Call timed out", detail: $"service: '{service}' did not answer within {CallTimeout.TotalSeconds:0} s",
                statusCode: StatusCodes.Status504GatewayTimeout);
        }
    }

    private static int LocalPort(HttpContext context) =>
        context.Connection.LocalPort != 0 ? context.Connection.LocalPort
            : context.RequestServices.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses
                .Select(a => new Uri(a).Port).FirstOrDefault() ?? 0;
}
