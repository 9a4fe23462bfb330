using Cronos;
using Platform.Contracts.Validation;
using CronJobResource = Platform.Contracts.Resources.CronJob;

namespace Platform.ControllerManager.Controllers.CronJob;

/// <summary>A CronJob's schedule read with Cronos in its time zone (UTC when it names none), and the runs it owes.</summary>
internal sealed class CronSchedule(CronExpression expression, TimeZoneInfo zone)
{
    /// <summary>The schedule of <paramref name="cj"/>, or null with the reason (the apiserver refuses both; an old object may still hold one).</summary>
    public static CronSchedule? Of(CronJobResource cj, out string? error)
    {
        var fields = CronSyntax.Expand(cj.Spec.Schedule, out error);
        if (fields is null) return null;
        var zone = TimeZoneInfo.Utc;
        if (cj.Spec.TimeZone is { } tz)
        {
            if (!JobValidator.KnownTimeZone(tz)) { error = $"unknown time zone {tz}"; return null; }
            zone = TimeZoneInfo.FindSystemTimeZoneById(tz);
        }
        try
        {
            return new CronSchedule(CronExpression.Parse(fields), zone);
        }
        catch (CronFormatException e)
        {
            error = e.Message;
            return null;
        }
    }

    public TimeZoneInfo Zone => zone;

    public DateTimeOffset? Next(DateTimeOffset after) => expression.GetNextOccurrence(after, zone);

    /// <summary>
    /// Kubernetes' mostRecentScheduleTime: the latest scheduled time in (<paramref name="earliest"/>, <paramref name="now"/>]
    /// and how many there were. A controller that was down creates only that one run, whatever it missed.
    /// </summary>
    public (DateTimeOffset? MostRecent, long Missed) MostRecent(DateTimeOffset earliest, DateTimeOffset now)
    {
        if (earliest > now) return (null, 0);
        DateTimeOffset? last = null;
        long missed = 0;
        foreach (var t in expression.GetOccurrences(earliest, now, zone, fromInclusive: false, toInclusive: true))
        {
            last = t;
            missed++;
        }
        return (last, missed);
    }
}
