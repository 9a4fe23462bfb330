using System.Globalization;

namespace Platform.Bench.Chaos;

/// <summary>The campaign's table: aligned for the terminal, or Markdown for the README.</summary>
internal static class FaultTable
{
    private static readonly string[] Header =
        ["TARGET", "FAULT", "WRITES ACKED", "WRITE ERRORS", "LOST", "REDELIVERED", "GATEWAY 2XX", "GATEWAY NON-2XX", "GATEWAY SOCKET ERRORS", "CONVERGED (S)"];

    public static string Render(IReadOnlyList<PhaseResult> rows, bool markdown)
    {
        var cells = rows.Select(r => new[]
        {
            r.Target, r.Fault, N(r.WritesAcked), N(r.WriteErrors), N(r.Lost), N(r.Redelivered),
            N(r.GatewayOk), N(r.GatewayNon2xx), N(r.GatewaySocketErrors),
            r.Error is not null ? "FAILED: " + r.Error : r.Converged is { } c ? c.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) : "-",
        }).ToList();
        if (markdown)
        {
            var lines = new List<string> { "| " + string.Join(" | ", Header.Select(h => h.ToLowerInvariant())) + " |", "|" + string.Concat(Header.Select(_ => " --- |")) };
            lines.AddRange(cells.Select(c => "| " + string.Join(" | ", c) + " |"));
            return string.Join('\n', lines);
        }
        var widths = Header.Select((h, i) => Math.Max(h.Length, cells.Count == 0 ? 0 : cells.Max(c => c[i].Length))).ToArray();
        return string.Join('\n', cells.Prepend(Header).Select(c => string.Join("  ", c.Select((v, i) => v.PadRight(widths[i]))).TrimEnd()));
    }

    private static string N(int n) => n.ToString(CultureInfo.InvariantCulture);
}
