using Microsoft.AspNetCore.Http;
using Platform.Gateway.Routing;

namespace Platform.Gateway.Predicates;

/// <summary>
/// The routes of each Weight group with their weights, filled while a snapshot compiles. Per request one route of
/// a group is drawn (proportionally to weight) and remembered, so exactly one route of the group matches.
/// </summary>
public sealed class WeightGroups
{
    private readonly Dictionary<string, List<(string RouteId, int Weight)>> _groups = new(StringComparer.Ordinal);

    public void Add(string group, string routeId, int weight)
    {
        if (!_groups.TryGetValue(group, out var list)) _groups[group] = list = [];
        list.Add((routeId, weight));
    }

    public bool IsChosen(HttpContext context, string group, string routeId)
    {
        var state = GatewayRequestState.Of(context);
        state.WeightChoices ??= new(StringComparer.Ordinal);
        if (!state.WeightChoices.TryGetValue(group, out var chosen))
        {
            chosen = Draw(group);
            state.WeightChoices[group] = chosen;
        }
        return chosen == routeId;
    }

    private string Draw(string group)
    {
        var list = _groups[group];
        var total = list.Sum(e => e.Weight);
        if (total <= 0) return list[0].RouteId;
        var r = Random.Shared.Next(total);
        foreach (var (id, w) in list)
        {
            if (r < w) return id;
            r -= w;
        }
        return list[^1].RouteId;
    }
}
