namespace Platform.ApiServer.CustomMetrics;

/// <summary>
/// Settings bound from <c>ApiServer:CustomMetrics</c>: the custom metrics API (<c>custom.metrics.k8s.io/v1beta2</c>),
/// fed by scraping Prometheus endpoints the way prometheus-adapter reads them from Prometheus.
/// </summary>
public sealed class CustomMetricsOptions
{
    public const string Section = "ApiServer:CustomMetrics";

    /// <summary>
    /// <c>ApiServer:CustomMetrics:Targets:N</c>: Prometheus endpoints scraped all the time (the platform's components,
    /// e.g. the gateway's <c>http://127.0.0.1:8080/metrics</c>). Their series describe the objects their labels name:
    /// <c>namespace</c> plus <c>pod</c>, <c>service</c>, <c>deployment</c>…, or <c>route="namespace/name"</c>.
    /// </summary>
    public List<string> Targets { get; set; } = [];

    /// <summary>
    /// <c>ApiServer:CustomMetrics:ScrapeInterval</c>: how often the targets, and the pods an autoscaler asked about
    /// (annotated <c>prometheus.io/scrape: "true"</c>), are scraped (default 5 s).
    /// </summary>
    public TimeSpan ScrapeInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// <c>ApiServer:CustomMetrics:RateWindow</c>: a counter <c>X_total</c> is served as <c>X_per_second</c>, its rate
    /// over the scrapes of this window, like <c>rate(X_total[30s])</c> (default 30 s).
    /// </summary>
    public TimeSpan RateWindow { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary><c>ApiServer:CustomMetrics:ScrapeTimeout</c>: one scrape's time limit (default 3 s).</summary>
    public TimeSpan ScrapeTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary><c>ApiServer:CustomMetrics:PodInterest</c>: a pod is scraped this long after the last request about it (default 10 min).</summary>
    public TimeSpan PodInterest { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary><c>ApiServer:CustomMetrics:MaxResponseBytes</c>: a larger exposition is refused (default 8 MiB).</summary>
    public int MaxResponseBytes { get; set; } = 8 * 1024 * 1024;
}
