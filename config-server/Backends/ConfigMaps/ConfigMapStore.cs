using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Platform.ApiServer.Client.Informers;
using Platform.ConfigServer.Backends.Files;
using Platform.ConfigServer.Environment;
using Platform.ConfigServer.Limits;
using Platform.Contracts.Resources;

namespace Platform.ConfigServer.Backends.ConfigMaps;

/// <summary>
/// The property sources made of the ConfigMaps the informer holds, by <c>namespace/name</c>. A data key named like a file
/// (<c>application.yml</c>, <c>orders.properties</c>) is parsed as that file; any other key is one property.
/// Ordering, replays and versions are the informer's business: this only turns each version it hands over into an
/// entry. <see cref="Check"/> parses before the informer takes a version, so one that breaks a
/// <see cref="DocumentLimitsOptions"/> bound never replaces the version served before it.
/// </summary>
internal sealed class ConfigMapStore(IOptions<ConfigMapOptions> options, IOptions<DocumentLimitsOptions> limits)
{
    private readonly ConcurrentDictionary<string, ConfigMapEntry> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (string? Version, ConfigMapEntry? Entry)> _checked = new(StringComparer.Ordinal);

    public IEnumerable<ConfigMapEntry> Entries => _entries.Values;

    private static string KeyOf(ConfigMap c) => ObjectKeys.KeyOf(c.Metadata.Namespace, c.Metadata.Name!);

    /// <summary>Parses a ConfigMap within the limits; throws <see cref="DocumentLimitException"/> naming the limit.</summary>
    public void Check(ConfigMap configMap) => _checked[KeyOf(configMap)] = (configMap.Metadata.ResourceVersion, ToEntry(configMap));

    /// <summary>Serves a version the informer took; returns the applications whose configuration changed.</summary>
    public IReadOnlyList<string> Put(ConfigMap configMap)
    {
        var name = KeyOf(configMap);
        var entry = _checked.TryRemove(name, out var c) && c.Version == configMap.Metadata.ResourceVersion ? c.Entry : ToEntry(configMap);
        var changed = new List<string>();
        if (_entries.TryGetValue(name, out var old)) changed.Add(old.Application);
        if (entry is null) _entries.TryRemove(name, out _);
        else
        {
            _entries[name] = entry;
            if (!changed.Contains(entry.Application)) changed.Add(entry.Application);
        }
        return changed;
    }

    public IReadOnlyList<string> Remove(ConfigMap configMap) =>
        _entries.TryRemove(KeyOf(configMap), out var old) ? [old.Application] : [];

    private ConfigMapEntry? ToEntry(ConfigMap configMap)
    {
        var name = configMap.Metadata.Name!;
        var ns = configMap.Metadata.Namespace ?? options.Value.Namespace;
        var labels = configMap.Metadata.Labels;
        if (labels?.GetValueOrDefault(ConfigMapOptions.ApplicationLabel) is not { } app || string.IsNullOrWhiteSpace(app)) return null;
        var profile = labels.GetValueOrDefault(ConfigMapOptions.ProfileLabel) is { } p && !string.IsNullOrWhiteSpace(p) ? p : "default";
        var properties = new OrderedDictionary<string, object?>();
        foreach (var (key, value) in configMap.Data ?? [])
        {
            var text = value ?? "";
            var location = $"configmap {ns}/{name} data.{key}";
            if (FolderPropertyLoader.Extensions.Contains(Path.GetExtension(key), StringComparer.OrdinalIgnoreCase))
            {
                foreach (var (k, val) in PropertyFileParser.Parse(location, text, [profile], limits.Value)) properties[k] = val;
            }
            else
            {
                PropertyFileParser.CheckSize(location, System.Text.Encoding.UTF8.GetByteCount(text), limits.Value);
                properties[key] = text;
            }
        }
        var source = new PropertySource($"configmap:{ns}/{name}", properties);
        return new ConfigMapEntry(ns, name, app, profile, ObjectKeys.VersionOf(configMap), source);
    }
}
