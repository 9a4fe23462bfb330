using System.Globalization;

namespace Platform.ConfigServer.Bench;

/// <summary>Throughput and latency percentiles of one load run.</summary>
internal sealed record LoadResult(string Name, int Requests, int Errors, TimeSpan Duration, double P50Ms, double P99Ms)
{
    public double RequestsPerSecond => Requests / Duration.TotalSeconds;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Name,-28} {RequestsPerSecond,10:F0} req/s   p50 {P50Ms,7:F2} ms   p99 {P99Ms,7:F2} ms   errors {Errors}");
}
