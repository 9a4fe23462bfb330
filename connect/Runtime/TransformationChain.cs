using Platform.Connect.Api.Data;
using Platform.Connect.Api.Transforms;
using Platform.Connect.Plugins;

namespace Platform.Connect.Runtime;

/// <summary>The connector's <c>transforms</c>, in order, each guarded by its predicate (<c>negate</c> flips it).</summary>
internal sealed class TransformationChain(IReadOnlyList<(string Alias, ITransformation Transform, IPredicate? Predicate, bool Negate)> steps)
{
    public static TransformationChain Create(IReadOnlyDictionary<string, string> config, PluginRegistry plugins)
    {
        var predicates = new Dictionary<string, IPredicate>();
        foreach (var alias in Aliases(config, ConnectorConfig.Predicates))
        {
            var type = plugins.Find(config.GetValueOrDefault($"predicates.{alias}.type"), PluginKind.Predicate)
                ?? throw new InvalidOperationException($"predicates.{alias}.type: no such predicate");
            var predicate = plugins.Create<IPredicate>(type);
            predicate.Configure(Strip(config, $"predicates.{alias}."));
            predicates[alias] = predicate;
        }
        var steps = new List<(string, ITransformation, IPredicate?, bool)>();
        foreach (var alias in Aliases(config, ConnectorConfig.Transforms))
        {
            var prefix = $"transforms.{alias}.";
            var type = plugins.Find(config.GetValueOrDefault(prefix + "type"), PluginKind.Transformation)
                ?? throw new InvalidOperationException($"{prefix}type: no such transformation");
            var transform = plugins.Create<ITransformation>(type);
            transform.Configure(Strip(config, prefix));
            var predicate = config.TryGetValue(prefix + "predicate", out var p) ? predicates[p] : null;
            steps.Add((alias, transform, predicate, config.TryGetValue(prefix + "negate", out var n) && bool.TryParse(n, out var b) && b));
        }
        return new TransformationChain(steps);
    }

    public bool IsEmpty => steps.Count == 0;

    /// <summary>The transformed record, or null when a step dropped it.</summary>
    public T? Apply<T>(T record) where T : ConnectRecord
    {
        ConnectRecord? current = record;
        foreach (var (_, transform, predicate, negate) in steps)
        {
            if (current is null) return null;
            if (predicate is not null && predicate.Test(current) == negate) continue;
            current = transform.Apply(current);
        }
        return (T?)current;
    }

    private static IEnumerable<string> Aliases(IReadOnlyDictionary<string, string> config, string key) =>
        config.GetValueOrDefault(key, "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    private static Dictionary<string, string> Strip(IReadOnlyDictionary<string, string> config, string prefix) =>
        config.Where(p => p.Key.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary(p => p.Key[prefix.Length..], p => p.Value);
}
