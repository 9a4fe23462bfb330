using System.Globalization;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.LoadBalancing;
using Yarp.ReverseProxy.Model;

namespace Platform.Gateway.LoadBalancing;

/// <summary>Picks a destination at random in proportion to its <c>weight</c> metadata (from the instance's Eureka metadata; default 1).</summary>
internal sealed class WeightedLoadBalancingPolicy : ILoadBalancingPolicy
{
    public string Name => LoadBalancingPolicyNames.Weighted;

    public DestinationState? PickDestination(HttpContext context, ClusterState cluster, IReadOnlyList<DestinationState> availableDestinations)
    {
        if (availableDestinations.Count == 0) return null;
        var total = 0;
        foreach (var d in availableDestinations) total += Weight(d);
        if (total <= 0) return availableDestinations[Random.Shared.Next(availableDestinations.Count)];
        var r = Random.Shared.Next(total);
        foreach (var d in availableDestinations)
        {
            r -= Weight(d);
            if (r < 0) return d;
        }
        return availableDestinations[^1];
    }

    private static int Weight(DestinationState d) =>
        d.Model?.Config.Metadata?.TryGetValue("weight", out var w) == true && int.TryParse(w, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= 0 ? v : 1;
}
