using System.Collections.Concurrent;
using Platform.ApiServer.Client.Informers;
using Platform.ConfigServer.Limits;
using Platform.Contracts.Resources;

namespace Platform.ConfigServer.Backends.Kubernetes;

/// <summary>
/// The entries made of the objects one informer holds (ConfigMaps or Secrets), by <c>namespace/name</c>. Ordering,
/// replays and versions are the informer's business: this only turns each version it hands over into an entry with
/// <paramref name="toEntry"/> (null: not served). <see cref="Check"/> parses before the informer takes a version, so
/// one that breaks a <see cref="DocumentLimitsOptions"/> bound or cannot be read never replaces the version served
/// before it.
/// </summary>
internal sealed class ConfigDataStore(Func<Resource, ConfigDataEntry?> toEntry)
{
    private readonly ConcurrentDictionary<string, ConfigDataEntry> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (string? Version, ConfigDataEntry? Entry)> _checked = new(StringComparer.Ordinal);

    public IEnumerable<ConfigDataEntry> Entries => _entries.Values;

    /// <summary>
    /// Parses an object within the limits; throws <see cref="DocumentLimitException"/> naming the limit, or
    /// <see cref="InvalidDataException"/> naming the data key that cannot be parsed.
    /// </summary>
    public void Check(Resource obj) => _checked[ObjectKeys.KeyOf(obj)] = (obj.Metadata.ResourceVersion, toEntry(obj));

    /// <summary>Serves a version the informer took; returns the applications whose configuration changed.</summary>
    public IReadOnlyList<string> Put(Resource obj)
    {
        var key = ObjectKeys.KeyOf(obj);
        var entry = _checked.TryRemove(key, out var c) && c.Version == obj.Metadata.ResourceVersion ? c.Entry : toEntry(obj);
        var changed = new List<string>();
        if (_entries.TryGetValue(key, out var old)) changed.AddRange(old.Applications);
        if (entry is null) _entries.TryRemove(key, out _);
        else
        {
            _entries[key] = entry;
            changed.AddRange(entry.Applications);
        }
        return [.. changed.Distinct(StringComparer.Ordinal)];
    }

    public IReadOnlyList<string> Remove(Resource obj) =>
        _entries.TryRemove(ObjectKeys.KeyOf(obj), out var old) ? [.. old.Applications] : [];
}
