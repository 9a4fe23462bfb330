using System.Globalization;

namespace Platform.NodeAgent.Api;

/// <summary>kubelet's <c>/containerLogs</c> options: <c>follow</c>, <c>tailLines</c>, <c>timestamps</c>, <c>previous</c>, <c>sinceSeconds</c>, and the pod's <c>podUID</c>.</summary>
internal sealed record LogQuery(bool Follow, long? TailLines, bool Timestamps, bool Previous, long? SinceSeconds, string? PodUid)
{
    /// <summary>The options; a <see cref="FormatException"/> whose message is <c>field: reason</c> for the first invalid one.</summary>
    public static LogQuery Parse(IQueryCollection q) => new(
        Flag(q, "follow"), Number(q, "tailLines", 0), Flag(q, "timestamps"), Flag(q, "previous"), Number(q, "sinceSeconds", 1),
        q["podUID"].ToString() is { Length: > 0 } uid ? uid : null);

    internal static bool Flag(IQueryCollection q, string name)
    {
        if (!q.TryGetValue(name, out var values)) return false;
        return values.ToString() switch
        {
            "" or "true" or "1" => true,
            "false" or "0" => false,
            var v => throw new FormatException($"{name}: '{Short(v)}' is not a boolean (true or false)"),
        };
    }

    private static long? Number(IQueryCollection q, string name, long min)
    {
        var v = q[name].ToString();
        if (v.Length == 0) return null;
        return long.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) && n >= min
            ? n
            : throw new FormatException($"{name}: '{Short(v)}' must be an integer >= {min}");
    }

    private static string Short(string s) => s.Length > 32 ? s[..32] + "..." : s;
}
