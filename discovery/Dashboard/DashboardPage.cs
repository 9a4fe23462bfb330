using System.Globalization;
using System.Net;
using System.Text;
using Platform.Discovery.Api;
using Platform.Discovery.Registry;

namespace Platform.Discovery.Dashboard;

/// <summary>
/// The dashboard at <c>/</c>: one server-rendered page (no script) with the lease and self-preservation state
/// spelled out, the replicas, and every application's instances with status and links.
/// </summary>
internal static class DashboardPage
{
    public static string Render(ServerState state, ApplicationsView registry, DateTimeOffset now)
    {
        var sb = new StringBuilder(4096);
        sb.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta http-equiv=\"refresh\" content=\"10\">")
          .Append("<title>Discovery registry</title><style>")
          .Append("body{font-family:system-ui,sans-serif;margin:2rem;color:#222}table{border-collapse:collapse;margin:.5rem 0 1.5rem}")
          .Append("td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}th{background:#f3f3f3}")
          .Append(".banner{padding:.8rem;border-radius:4px;margin:1rem 0}.warn{background:#fde2e1;border:1px solid #d33}")
          .Append(".ok{background:#e3f6e3;border:1px solid #3a3}.UP{color:#187018}.DOWN,.OUT_OF_SERVICE{color:#b00}")
          .Append("</style></head><body><h1>Discovery registry</h1>");

        if (state.SelfPreservationActive)
            sb.Append("<div id=\"self-preservation\" class=\"banner warn\"><strong>Self-preservation is ACTIVE.</strong> ")
              .Append(CultureInfo.InvariantCulture, $"Only {state.RenewsLastMinute} renewals arrived in the last minute (threshold {state.RenewsPerMinThreshold}), ")
              .Append("so expired instances are NOT being evicted: the registry assumes a network problem rather than dead instances.</div>");
        else
            sb.Append("<div id=\"self-preservation\" class=\"banner ok\">Self-preservation is ")
              .Append(state.SelfPreservationEnabled ? "enabled but inactive: expired leases are evicted." : "disabled: expired leases are always evicted.")
              .Append("</div>");

        sb.Append("<h2>Leases</h2><table id=\"leases\">")
          .Append(CultureInfo.InvariantCulture, $"<tr><th>Registered instances</th><td>{state.Instances}</td></tr>")
          .Append(CultureInfo.InvariantCulture, $"<tr><th>Renewals in the last minute</th><td id=\"renews\">{state.RenewsLastMinute}</td></tr>")
          .Append(CultureInfo.InvariantCulture, $"<tr><th>Renewal threshold per minute</th><td>{state.RenewsPerMinThreshold}</td></tr>")
          .Append(CultureInfo.InvariantCulture, $"<tr><th>Expected clients</th><td>{state.ExpectedClients}</td></tr>")
          .Append(CultureInfo.InvariantCulture, $"<tr><th>Server time</th><td>{now:u}</td></tr></table>");

        sb.Append("<h2>Replicas</h2>");
        if (state.Replicas.Count == 0) sb.Append("<p id=\"replicas\">No peers configured (eureka:client:serviceUrl:defaultZone).</p>");
        else
        {
            sb.Append("<table id=\"replicas\"><tr><th>Peer</th><th>State</th><th>Last success</th><th>Last error</th></tr>");
            foreach (var p in state.Replicas)
                sb.Append("<tr><td>").Append(E(p.Url)).Append("</td><td>").Append(p.Reachable ? "available" : "unavailable")
                  .Append("</td><td>").Append(E(p.LastSuccess?.ToString("u", CultureInfo.InvariantCulture) ?? "never"))
                  .Append("</td><td>").Append(E(p.LastError ?? "")).Append("</td></tr>");
            sb.Append("</table>");
        }

        sb.Append("<h2>Instances currently registered</h2><table id=\"applications\"><tr><th>Application</th><th>Status</th><th>Instances</th></tr>");
        foreach (var app in registry.Applications)
        {
            var byStatus = app.Instances.GroupBy(i => EurekaNames.Of(i.Info.Status)).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => $"{g.Key} ({g.Count()})");
            sb.Append("<tr class=\"app\" data-app=\"").Append(E(app.Name)).Append("\"><td>").Append(E(app.Name)).Append("</td><td>")
              .Append(E(string.Join(", ", byStatus))).Append("</td><td>");
            foreach (var i in app.Instances)
            {
                var status = EurekaNames.Of(i.Info.Status);
                var link = i.Info.StatusPageUrl ?? i.Info.HomePageUrl ?? $"http://{i.Info.HostName}:{i.Info.Port}/";
                sb.Append("<a class=\"instance ").Append(status).Append("\" href=\"").Append(E(link)).Append("\">")
                  .Append(E(i.Info.InstanceId)).Append("</a> ").Append(status).Append("<br>");
            }
            sb.Append("</td></tr>");
        }
        sb.Append("</table></body></html>");
        return sb.ToString();
    }

    private static string E(string s) => WebUtility.HtmlEncode(s);
}
