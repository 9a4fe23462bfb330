using Platform.Gateway.Configuration;
using Platform.Gateway.Filters.Status;

namespace Platform.Gateway.Resilience;

/// <summary>Statuses given as codes, Spring <c>HttpStatus</c> names, or series (<c>SERVER_ERROR</c> = 5xx, <c>CLIENT_ERROR</c> = 4xx).</summary>
internal sealed class StatusSet(HashSet<int> codes, HashSet<int> seriesHundreds)
{
    public static StatusSet Parse(IReadOnlyList<string> statuses, IReadOnlyList<string> series, string argument)
    {
        var codes = statuses.Select(s => HttpStatusArg.Parse(s, argument)).ToHashSet();
        var hundreds = series.Select(s => s.ToUpperInvariant() switch
        {
            "INFORMATIONAL" or "1" => 1, "SUCCESSFUL" or "2" => 2, "REDIRECTION" or "3" => 3,
            "CLIENT_ERROR" or "4" => 4, "SERVER_ERROR" or "5" => 5,
            _ => throw new GatewayArgumentException("series", $"'{s}' is not INFORMATIONAL, SUCCESSFUL, REDIRECTION, CLIENT_ERROR or SERVER_ERROR"),
        }).ToHashSet();
        return new StatusSet(codes, hundreds);
    }

    public bool IsEmpty => codes.Count == 0 && seriesHundreds.Count == 0;

    public bool Contains(int status) => codes.Contains(status) || seriesHundreds.Contains(status / 100);
}
