namespace Platform.ConfigServer.Environment;

/// <summary>Collapses property sources (highest precedence first) into one flat map, as a Spring client sees it.</summary>
internal static class PropertyMerger
{
    public static OrderedDictionary<string, object?> Merge(IEnumerable<PropertySource> sourcesHighestFirst)
    {
        var merged = new OrderedDictionary<string, object?>();
        foreach (var source in sourcesHighestFirst)
        {
            foreach (var (key, value) in source.Source) merged.TryAdd(key, value);
        }
        return merged;
    }
}
