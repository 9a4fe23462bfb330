using Prometheus;

namespace Platform.ConfigServer.Limits;

/// <summary><c>config_server_limit_rejections_total</c> on <c>/metrics</c>: documents or resolutions refused by a limit.</summary>
internal static class LimitMetrics
{
    private static readonly Counter Rejections = Metrics.CreateCounter("config_server_limit_rejections_total",
        "Property documents and placeholder resolutions refused by a ConfigServer:Limits bound",
        new CounterConfiguration { LabelNames = ["source", "limit"] });

    /// <param name="source"><c>configmap</c> for the Kafka replay, <c>request</c> for a read over HTTP.</param>
    public static void Rejected(string source, DocumentLimitException ex) => Rejections.WithLabels(source, ex.LimitKey).Inc();
}
