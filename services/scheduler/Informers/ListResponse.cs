namespace Platform.Scheduler.Informers;

/// <summary>A list answer of the apiserver: the items and the resourceVersion the list is consistent with.</summary>
internal sealed record ListResponse<T>
{
    public ListMeta Metadata { get; init; } = new();
    public List<T> Items { get; init; } = [];
}

internal sealed record ListMeta
{
    public string? ResourceVersion { get; init; }
}
