using System.Globalization;

namespace Platform.Contracts.Validation;

/// <summary>
/// The cron syntax Kubernetes accepts in a CronJob's schedule (robfig/cron's ParseStandard): five fields or a macro,
/// with its error messages. The cronjob controller computes the times with Cronos; this only says whether a
/// schedule is valid, without a dependency in the contracts.
/// </summary>
public static class CronSyntax
{
    /// <summary>The macros and the five fields each stands for.</summary>
    public static IReadOnlyDictionary<string, string> Macros { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["@yearly"] = "0 0 1 1 *", ["@annually"] = "0 0 1 1 *", ["@monthly"] = "0 0 1 * *",
        ["@weekly"] = "0 0 * * 0", ["@daily"] = "0 0 * * *", ["@midnight"] = "0 0 * * *", ["@hourly"] = "0 * * * *",
    };

    private static readonly (int Min, int Max, string[]? Names)[] Fields =
    [
        (0, 59, null), (0, 23, null), (1, 31, null),
        (1, 12, ["", "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]),
        (0, 6, ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]),
    ];

    /// <summary>The five fields of <paramref name="schedule"/> (a macro expanded), or null with <paramref name="error"/> saying why.</summary>
    public static string? Expand(string? schedule, out string? error)
    {
        error = null;
        var spec = (schedule ?? "").Trim();
        if (spec.Length == 0) { error = "empty spec string"; return null; }
        if (spec.StartsWith('@'))
        {
            if (Macros.TryGetValue(spec, out var expanded)) return expanded;
            error = $"unrecognized descriptor: {spec}";
            return null;
        }
        var parts = spec.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 5)
        {
            error = $"expected exactly 5 fields, found {parts.Length}: [{string.Join(" ", parts)}]";
            return null;
        }
        for (var i = 0; i < 5; i++)
            foreach (var expr in parts[i].Split(','))
                if (CheckRange(expr, Fields[i]) is { } e) { error = e; return null; }
        return string.Join(' ', parts);
    }

    private static string? CheckRange(string expr, (int Min, int Max, string[]? Names) field)
    {
        var rangeAndStep = expr.Split('/');
        var lowAndHigh = rangeAndStep[0].Split('-');
        var singleDigit = lowAndHigh.Length == 1;
        int start, end;
        if (lowAndHigh[0] is "*" or "?")
        {
            (start, end) = (field.Min, field.Max);
        }
        else
        {
            if (Number(lowAndHigh[0], field.Names, out start) is { } e1) return e1;
            end = start;
            if (lowAndHigh.Length == 2 && Number(lowAndHigh[1], field.Names, out end) is { } e2) return e2;
            if (lowAndHigh.Length > 2) return $"too many hyphens: {expr}";
        }
        if (rangeAndStep.Length == 2)
        {
            if (Number(rangeAndStep[1], null, out var step) is { } e3) return e3;
            if (step <= 0) return $"step of range should be a positive number: {expr}";
            if (singleDigit && lowAndHigh[0] is not ("*" or "?")) end = field.Max; // "N/step" is "N-max/step"
        }
        else if (rangeAndStep.Length > 2)
        {
            return $"too many slashes: {expr}";
        }
        if (start < field.Min) return $"beginning of range ({start}) below minimum ({field.Min}): {expr}";
        if (end > field.Max) return $"end of range ({end}) above maximum ({field.Max}): {expr}";
        if (start > end) return $"beginning of range ({start}) beyond end of range ({end}): {expr}";
        return null;
    }

    private static string? Number(string s, string[]? names, out int value)
    {
        if (names is not null && Array.IndexOf(names, s.ToLowerInvariant()) is var named and >= 0 && names[named].Length > 0)
        {
            value = named;
            return null;
        }
        if (!int.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value))
            return $"failed to parse int from {s}: strconv.Atoi: parsing \"{s}\": invalid syntax";
        return value < 0 ? $"negative number ({value}) not allowed: {s}" : null;
    }
}
