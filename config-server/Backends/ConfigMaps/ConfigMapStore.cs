using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Platform.ConfigServer.Backends.Files;
using Platform.ConfigServer.Environment;
using Platform.ConfigServer.Limits;

namespace Platform.ConfigServer.Backends.ConfigMaps;

/// <summary>
/// The ConfigMaps seen on the topic, keyed by name. Events arrive at least once, so an event whose
/// <c>metadata.resourceVersion</c> is not newer than the stored one is ignored. A data key named like a file
/// (<c>application.yml</c>, <c>orders.properties</c>) is parsed as that file; any other key is one property.
/// A ConfigMap whose data breaks a <see cref="DocumentLimitsOptions"/> bound throws before the store changes, so
/// the version served before it stays served.
/// </summary>
internal sealed class ConfigMapStore(IOptions<ConfigMapOptions> options, IOptions<DocumentLimitsOptions> limits)
{
    private readonly ConcurrentDictionary<string, ConfigMapEntry> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _deletedAt = new(StringComparer.Ordinal);

    public IEnumerable<ConfigMapEntry> Entries => _entries.Values;

    /// <summary>Applies a created/updated/deleted event; returns the applications whose configuration changed.</summary>
    public IReadOnlyList<string> Apply(JsonElement configMap, bool deleted)
    {
        if (!configMap.TryGetProperty("metadata", out var meta)) throw new FormatException("metadata: required");
        var ns = meta.TryGetProperty("namespace", out var n) ? n.GetString() : null;
        if (ns != options.Value.Namespace) return [];
        var name = meta.GetProperty("name").GetString() ?? throw new FormatException("metadata.name: required");
        var rv = meta.TryGetProperty("resourceVersion", out var v) && long.TryParse(v.ToString(), out var parsed) ? parsed : 0;
        var changed = new List<string>();
        _entries.TryGetValue(name, out var old);
        if (old is not null && rv != 0 && rv <= old.ResourceVersion) return [];
        if (_deletedAt.TryGetValue(name, out var deletedRv) && rv != 0 && rv <= deletedRv) return [];
        if (old is not null) changed.Add(old.Application);
        if (deleted)
        {
            _entries.TryRemove(name, out _);
            _deletedAt[name] = rv;
            return changed;
        }
        var entry = ToEntry(name, rv, meta, configMap);
        if (entry is null)
        {
            _entries.TryRemove(name, out _);
            return changed;
        }
        _entries[name] = entry;
        if (!changed.Contains(entry.Application)) changed.Add(entry.Application);
        return changed;
    }

    private ConfigMapEntry? ToEntry(string name, long rv, JsonElement meta, JsonElement configMap)
    {
        if (!meta.TryGetProperty("labels", out var labels) || labels.ValueKind != JsonValueKind.Object ||
            !labels.TryGetProperty(ConfigMapOptions.ApplicationLabel, out var app) || string.IsNullOrWhiteSpace(app.GetString()))
            return null;
        var profile = labels.TryGetProperty(ConfigMapOptions.ProfileLabel, out var p) && !string.IsNullOrWhiteSpace(p.GetString()) ? p.GetString()! : "default";
        var properties = new OrderedDictionary<string, object?>();
        if (configMap.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object)
        {
            foreach (var item in data.EnumerateObject())
            {
                var text = item.Value.GetString() ?? "";
                var location = $"configmap {options.Value.Namespace}/{name} data.{item.Name}";
                if (FolderPropertyLoader.Extensions.Contains(Path.GetExtension(item.Name), StringComparer.OrdinalIgnoreCase))
                {
                    foreach (var (k, val) in PropertyFileParser.Parse(location, text, [profile], limits.Value)) properties[k] = val;
                }
                else
                {
                    PropertyFileParser.CheckSize(location, System.Text.Encoding.UTF8.GetByteCount(text), limits.Value);
                    properties[item.Name] = text;
                }
            }
        }
        var source = new PropertySource($"configmap:{options.Value.Namespace}/{name}", properties);
        return new ConfigMapEntry(name, app.GetString()!, profile, rv, source);
    }
}
