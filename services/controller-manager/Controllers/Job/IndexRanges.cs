using System.Globalization;
using System.Text;

namespace Platform.ControllerManager.Controllers.Job;

/// <summary>Kubernetes' interval form of an Indexed Job's completed indexes: <c>0-2,5,7-9</c>.</summary>
internal static class IndexRanges
{
    public static string? Format(IEnumerable<int> indexes)
    {
        var sorted = indexes.Distinct().Order().ToList();
        if (sorted.Count == 0) return null;
        var sb = new StringBuilder();
        for (var i = 0; i < sorted.Count;)
        {
            var j = i;
            while (j + 1 < sorted.Count && sorted[j + 1] == sorted[j] + 1) j++;
            if (sb.Length > 0) sb.Append(',');
            sb.Append(sorted[i].ToString(CultureInfo.InvariantCulture));
            if (j > i) sb.Append('-').Append(sorted[j].ToString(CultureInfo.InvariantCulture));
            i = j + 1;
        }
        return sb.ToString();
    }

    /// <summary>The indexes below <paramref name="completions"/> named by <paramref name="ranges"/> (malformed parts are skipped).</summary>
    public static IEnumerable<int> Parse(string? ranges, int completions)
    {
        foreach (var part in (ranges ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var bounds = part.Split('-');
            if (!int.TryParse(bounds[0], NumberStyles.None, CultureInfo.InvariantCulture, out var from)) continue;
            var to = from;
            if (bounds.Length == 2 && !int.TryParse(bounds[1], NumberStyles.None, CultureInfo.InvariantCulture, out to)) continue;
            for (var i = from; i <= to && i < completions; i++) yield return i;
        }
    }
}
