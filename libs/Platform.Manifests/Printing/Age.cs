using System.Globalization;

namespace Platform.Manifests.Printing;

/// <summary>kubectl-style ages: <c>45s</c>, <c>12m</c>, <c>3h</c>, <c>5d</c>.</summary>
public static class Age
{
    public static string Since(string? timestamp, DateTimeOffset now)
    {
        if (!DateTimeOffset.TryParse(timestamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)) return "<unknown>";
        return Of(now - t);
    }

    /// <summary>A duration in the same form (a Job's DURATION).</summary>
    public static string Of(TimeSpan d)
    {
        if (d < TimeSpan.Zero) d = TimeSpan.Zero;
        return d.TotalSeconds < 120 ? $"{(int)d.TotalSeconds}s"
            : d.TotalMinutes < 120 ? $"{(int)d.TotalMinutes}m"
            : d.TotalHours < 48 ? $"{(int)d.TotalHours}h"
            : $"{(int)d.TotalDays}d";
    }
}
