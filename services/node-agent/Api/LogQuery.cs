using System.Globalization;

namespace Platform.NodeAgent.Api;

/// <summary>kubelet's <c>/containerLogs</c> options: <c>follow</c>, <c>tailLines</c>, <c>timestamps</c>, <c>previous</c>, <c>sinceSeconds</c>, and the pod's <c>podUID</c>.</summary>
internal sealed record LogQuery(bool Follow, long? TailLines, bool Timestamps, bool Previous, long? SinceSeconds, string? PodUid)
{
    /// <summary>The options, or the name of the first invalid field and why.</summary>
    public static LogQuery? Parse(IQueryCollection q, out string? field, out string? error)
    {
        field = null;
        error = null;
        bool Flag(string name, ref string? f, ref string? e)
        {
            var v = q[name].ToString();
            switch (v)
            {
                case "" when !q.ContainsKey(name):
                case "false" or "0":
                    return false;
                case "" or "true" or "1":
                    return true;
                default:
                    f ??= name;
                    e ??= $"'{v}' is not a boolean (true or false)";
                    return false;
            }
        }
        long? Number(string name, long min, ref string? f, ref string? e)
        {
            var v = q[name].ToString();
            if (v.Length == 0) return null;
            if (long.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min) return n;
            f ??= name;
            e ??= $"'{v}' must be an integer >= {min}";
            return null;
        }
        var query = new LogQuery(Flag("follow", ref field, ref error), Number("tailLines", 0, ref field, ref error), Flag("timestamps", ref field, ref error),
            Flag("previous", ref field, ref error), Number("sinceSeconds", 1, ref field, ref error), q["podUID"].ToString() is { Length: > 0 } uid ? uid : null);
        return field is null ? query : null;
    }
}
