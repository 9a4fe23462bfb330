using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Platform.ServiceDefaults;

/// <summary>
/// The body of <c>/healthz</c> and <c>/readyz</c>: the overall status alone while healthy, and one line per check
/// (<c>[+]postgres ok</c>, <c>[-]kafka failed: …</c>, the way Kubernetes' apiserver lists them) when something is not
/// healthy or the caller asked with <c>?verbose</c>. A probe that fails once on a loaded machine then says which check
/// and why, without reading the service's log.
/// </summary>
internal static class HealthResponse
{
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "text/plain; charset=utf-8";
        var body = new StringBuilder(report.Status.ToString()).Append('\n');
        if (report.Status != HealthStatus.Healthy || context.Request.Query.ContainsKey("verbose"))
        {
            foreach (var (name, entry) in report.Entries.OrderBy(e => e.Key, StringComparer.Ordinal))
            {
                body.Append(entry.Status == HealthStatus.Unhealthy ? "[-]" : "[+]").Append(name).Append(' ')
                    .Append(entry.Status switch { HealthStatus.Healthy => "ok", HealthStatus.Degraded => "degraded", _ => "failed" });
                if (entry.Status != HealthStatus.Healthy && !string.IsNullOrEmpty(entry.Description)) body.Append(": ").Append(entry.Description);
                body.Append('\n');
            }
        }
        return context.Response.WriteAsync(body.ToString(), context.RequestAborted);
    }
}
