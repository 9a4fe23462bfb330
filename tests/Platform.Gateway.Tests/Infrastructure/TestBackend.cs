using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Platform.Gateway.Tests.Infrastructure;

/// <summary>
/// A real Kestrel upstream on 127.0.0.1 that echoes what it received as JSON (method, path, query, headers) and
/// obeys <c>?status=503</c>, <c>?respHeader=Name:Value</c>, <c>?delayMs=n</c>. Answers carry <c>X-Backend: name</c>.
/// </summary>
public sealed class TestBackend : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _hits;

    private TestBackend(WebApplication app, string name, int port)
    {
        _app = app;
        Name = name;
        Port = port;
    }

    public string Name { get; }
    public int Port { get; }
    public string Url => $"http://127.0.0.1:{Port}";
    public int Hits => Volatile.Read(ref _hits);
    /// <summary>Answer every request with this status (0: obey the query).</summary>
    public int ForcedStatus { get; set; }
    /// <summary>Replaces the echo once the hit is counted: how a test makes this upstream reset, hang or die mid-answer.</summary>
    public Func<HttpContext, Task>? Handler { get; set; }

    public static async Task<TestBackend> StartAsync(string name = "backend", int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        TestBackend? self = null;
        app.Run(async ctx =>
        {
            Interlocked.Increment(ref self!._hits);
            if (self.Handler is { } handler)
            {
                await handler(ctx);
                return;
            }
            ctx.Response.Headers["X-Backend"] = name;
            var q = ctx.Request.Query;
            if (q.TryGetValue("delayMs", out var d)) await Task.Delay(int.Parse(d!, CultureInfo.InvariantCulture), ctx.RequestAborted);
            foreach (var h in q["respHeader"])
            {
                var i = h!.IndexOf(':', StringComparison.Ordinal);
                ctx.Response.Headers.Append(h[..i], h[(i + 1)..]);
            }
            var status = self.ForcedStatus != 0 ? self.ForcedStatus : q.TryGetValue("status", out var s) ? int.Parse(s!, CultureInfo.InvariantCulture) : 200;
            ctx.Response.StatusCode = status;
            string body;
            using (var reader = new StreamReader(ctx.Request.Body)) body = await reader.ReadToEndAsync(ctx.RequestAborted);
            await ctx.Response.WriteAsJsonAsync(new EchoResponse(name, ctx.Request.Method, ctx.Request.Path.Value ?? "", ctx.Request.QueryString.Value ?? "",
                ctx.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), body));
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        self = new TestBackend(app, name, new Uri(address).Port);
        return self;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}

public sealed record EchoResponse(string Backend, string Method, string Path, string Query, Dictionary<string, string> Headers, string Body)
{
    public string? Header(string name) =>
        Headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    public static async Task<EchoResponse> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonSerializer.Deserialize<EchoResponse>(text, JsonSerializerOptions.Web)
            ?? throw new InvalidOperationException("empty echo: " + text);
    }
}
