
namespace Platform.Gateway.LoadBalancing;

/// <summary>The policies a route may ask for in its <c>loadbalancer</c> metadata.</summary>
public static class LoadBalancingPolicyNames
{
    public const string RoundRobin = "RoundRobin";
    public const string PowerOfTwoChoices = "PowerOfTwoChoices";
    public const string Random = "Random";
    public const string LeastRequests = "LeastRequests";
    /// <summary>Instance metadata <c>weight</c> (default 1) sets its share of requests.</summary>
    public const string Weighted = "Weighted";

    public static IReadOnlyList<string> All { get; } = [RoundRobin, PowerOfTwoChoices, Random, LeastRequests, Weighted];

    /// <summary>Accepts any case and Spring's dashed names (<c>round-robin</c>, <c>power-of-two-choices</c>).</summary>
    public static string? Resolve(string name)
    {
        var n = name.Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal);
        return All.FirstOrDefault(p => string.Equals(p, n, StringComparison.OrdinalIgnoreCase));
    }
}
