using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Prometheus;

namespace Platform.ServiceDefaults;

/// <summary>What every platform host shares: JSON logs, health, metrics, tracing, ProblemDetails.</summary>
public static class PlatformDefaultsExtensions
{
    /// <summary>Name of the tag that puts a health check on <c>/readyz</c> (liveness ignores it).</summary>
    public const string ReadyTag = "ready";

    /// <summary>
    /// Structured JSON console logs, ProblemDetails for errors, health checks, OpenTelemetry tracing
    /// (exported over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set) and Prometheus metrics.
    /// </summary>
    public static TBuilder AddPlatformDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.ClearProviders();
        builder.Logging.AddJsonConsole(o =>
        {
            o.IncludeScopes = true;
            o.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z' ";
            o.UseUtcTimestamp = true;
        });
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
        {
            // What the framework could not bind (a query value that is no bool, a body over the size limit) is the
            // client's mistake: the answer says which parameter and value.
            if (c.Exception is BadHttpRequestException bad) c.ProblemDetails.Detail = bad.Message;
        });
        // Binding failures throw in every environment (by default only in Development), so each one is the same 4xx
        // ProblemDetails with its reason everywhere, and never the exception handler's 500.
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.Configure<ExceptionHandlerOptions>(o =>
        {
            o.StatusCodeSelector = ex => ex is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError;
            o.SuppressDiagnosticsCallback = c => c.Exception is BadHttpRequestException;
        });
        // /metrics exports the .NET meters too (named <meter>_<instrument>); the runtime's Private.InternalDiagnostics.*
        // meters (msquic's internals, some 35 series a process) say nothing about the platform.
        Metrics.ConfigureMeterAdapter(o => o.InstrumentFilterPredicate = i => !i.Meter.Name.StartsWith("Private.", StringComparison.Ordinal));
        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), tags: ["live"]);
        builder.Services.AddSingleton(TimeProvider.System);

        var tracing = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(builder.Environment.ApplicationName))
            .WithTracing(t =>
            {
                t.AddSource("Platform.*")
                 .AddAspNetCoreInstrumentation(o => o.Filter = ctx => !IsInfrastructurePath(ctx.Request.Path))
                 .AddHttpClientInstrumentation();
                if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"])) t.AddOtlpExporter();
            });
        _ = tracing;
        return builder;
    }

    /// <summary>Maps <c>/healthz</c> (liveness), <c>/readyz</c> (checks tagged <see cref="ReadyTag"/>) and <c>/metrics</c>.</summary>
    public static WebApplication MapPlatformDefaults(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseHttpMetrics();
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = c => c.Tags.Contains("live"), ResponseWriter = HealthResponse.WriteAsync });
        app.MapHealthChecks("/readyz", new HealthCheckOptions
        {
            Predicate = c => c.Tags.Contains(ReadyTag) || c.Tags.Contains("live"),
            ResponseWriter = HealthResponse.WriteAsync,
        });
        app.MapMetrics("/metrics");
        return app;
    }

    private static bool IsInfrastructurePath(PathString path) =>
        path.StartsWithSegments("/healthz") || path.StartsWithSegments("/readyz") || path.StartsWithSegments("/metrics");
}
