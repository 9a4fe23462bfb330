using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Platform.ApiServer.Tests.CustomMetrics;

/// <summary>A Prometheus endpoint on 127.0.0.1 whose exposition text is computed at each scrape (counters grow with time).</summary>
internal sealed class PrometheusEndpoint : IAsyncDisposable
{
    private readonly WebApplication _app;

    private PrometheusEndpoint(WebApplication app) => _app = app;

    public Uri Address => new(_app.Urls.First());

    public int Port => Address.Port;

    public int Scrapes;

    public static async Task<PrometheusEndpoint> StartAsync(Func<string, string> exposition)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var endpoint = new PrometheusEndpoint(app);
        app.MapGet("/{**path}", (HttpContext ctx) =>
        {
            Interlocked.Increment(ref endpoint.Scrapes);
            return Results.Text(exposition(ctx.Request.Path.Value ?? ""), "text/plain; version=0.0.4");
        });
        await app.StartAsync();
        return endpoint;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
