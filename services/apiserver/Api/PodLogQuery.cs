using System.Globalization;
using System.Text;
using Platform.ApiServer.Problems;

namespace Platform.ApiServer.Api;

/// <summary>The options of <c>GET .../pods/{name}/log</c>, validated (400 naming the field) before the agent is called.</summary>
internal sealed record PodLogQuery(string? Container, bool Follow, long? TailLines, bool Timestamps, bool Previous, long? SinceSeconds)
{
    public static PodLogQuery Parse(IQueryCollection q) => new(
        q["container"].ToString() is { Length: > 0 } c ? c : null,
        Flag(q, "follow"), Number(q, "tailLines", 0), Flag(q, "timestamps"), Flag(q, "previous"), Number(q, "sinceSeconds", 1));

    /// <summary>
    /// The agent's query: these options and, when given, the pod's uid, so a same-named newer pod is never confused with
    /// this one.
    /// </summary>
    public string AgentQuery(string? podUid)
    {
        var sb = new StringBuilder("?");
        if (podUid is { Length: > 0 }) sb.Append("&podUID=").Append(Uri.EscapeDataString(podUid));
        if (Follow) sb.Append("&follow=true");
        if (TailLines is { } t) sb.Append(CultureInfo.InvariantCulture, $"&tailLines={t}");
        if (Timestamps) sb.Append("&timestamps=true");
        if (Previous) sb.Append("&previous=true");
        if (SinceSeconds is { } s) sb.Append(CultureInfo.InvariantCulture, $"&sinceSeconds={s}");
        return sb.Length == 1 ? "" : sb.Remove(1, 1).ToString(); // "?&a=1&b=2" → "?a=1&b=2"
    }

    internal static bool Flag(IQueryCollection q, string name)
    {
        if (!q.TryGetValue(name, out var values)) return false;
        return values.ToString() switch
        {
            "" or "true" or "1" => true,
            "false" or "0" => false,
            var v => throw ApiProblem.BadRequest(name, $"'{Short(v)}' is not a boolean (true or false)"),
        };
    }

    private static long? Number(IQueryCollection q, string name, long min)
    {
        var v = q[name].ToString();
        if (v.Length == 0) return null;
        return long.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) && n >= min
            ? n
            : throw ApiProblem.BadRequest(name, $"'{Short(v)}' must be an integer >= {min}");
    }

    private static string Short(string s) => s.Length > 32 ? s[..32] + "..." : s;
}
