using System.Text.Json.Nodes;

namespace Platform.ApiServer.CustomMetrics;

/// <summary>
/// Where a pod serves its metrics, by Prometheus' usual annotations: <c>prometheus.io/scrape: "true"</c>,
/// <c>prometheus.io/port</c> (else its first container port), <c>prometheus.io/path</c> (else <c>/metrics</c>), on
/// its pod IP over plain HTTP. Only a running pod with an address is scraped.
/// </summary>
internal static class PodTargets
{
    public const string ScrapeAnnotation = "prometheus.io/scrape";
    public const string PortAnnotation = "prometheus.io/port";
    public const string PathAnnotation = "prometheus.io/path";

    public static PodTarget? Of(JsonObject pod)
    {
        var annotations = pod["metadata"]?["annotations"] as JsonObject;
        if ((string?)annotations?[ScrapeAnnotation] != "true") return null;
        if ((string?)pod["status"]?["phase"] != "Running" || (string?)pod["status"]?["podIP"] is not { Length: > 0 } ip || !System.Net.IPAddress.TryParse(ip, out var address)) return null;
        int? port = int.TryParse((string?)annotations?[PortAnnotation], out var p) ? p : null;
        port ??= pod["spec"]?["containers"]?.AsArray().OfType<JsonObject>().SelectMany(c => c["ports"]?.AsArray().OfType<JsonObject>() ?? [])
            .Select(x => (int?)x["containerPort"]).FirstOrDefault(x => x is not null);
        if (port is not (> 0 and <= 65535)) return null;
        var path = (string?)annotations?[PathAnnotation] is { Length: > 0 } given && given.StartsWith('/') ? given : "/metrics";
        var host = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
        if (!Uri.TryCreate($"http://{host}:{port}{path}", UriKind.Absolute, out var url)) return null;
        var meta = pod["metadata"]!;
        return new PodTarget(new DescribedObject("pods", (string)meta["namespace"]!, (string)meta["name"]!), (string?)meta["uid"] ?? "", url);
    }
}
