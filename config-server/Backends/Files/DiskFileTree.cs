using System.Collections.Concurrent;
using Platform.ConfigServer.Limits;

namespace Platform.ConfigServer.Backends.Files;

/// <summary>
/// Files under a root folder; paths never escape the root. Parsed files are cached by path, modification time
/// and size, so an edit is seen on the next request while an unchanged file costs one stat, not a parse.
/// </summary>
internal sealed class DiskFileTree(string root, DocumentLimitsOptions limits) : IFileTree
{
    private const int MaxCachedFiles = 4096;
    private readonly ConcurrentDictionary<string, CachedFile> _parsed = new(StringComparer.Ordinal);

    private readonly string _root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));

    public string? ReadText(string path)
    {
        var full = Resolve(path);
        return full is not null && File.Exists(full) ? File.ReadAllText(full) : null;
    }

    public bool DirectoryExists(string path)
    {
        var full = Resolve(path);
        return full is not null && Directory.Exists(full);
    }

    public OrderedDictionary<string, object?>? ReadProperties(string path, IReadOnlyList<string> profiles)
    {
        var full = Resolve(path);
        if (full is null) return null;
        var info = new FileInfo(full);
        if (!info.Exists) return null;
        var key = full + "|" + string.Join(',', profiles);
        if (_parsed.TryGetValue(key, out var cached) && cached.Modified == info.LastWriteTimeUtc && cached.Length == info.Length)
            return cached.Properties;
        // Sized before reading, so a huge file is refused without being loaded.
        PropertyFileParser.CheckSize(path, info.Length, limits);
        var properties = PropertyFileParser.Parse(path, File.ReadAllText(full), profiles, limits);
        if (_parsed.Count >= MaxCachedFiles) _parsed.Clear();
        _parsed[key] = new CachedFile(info.LastWriteTimeUtc, info.Length, properties);
        return properties;
    }

    public string SourceName(string path) => "file:" + (Resolve(path) ?? path);

    private string? Resolve(string path)
    {
        var full = Path.GetFullPath(Path.Combine(_root, path.TrimStart('/')));
        // A location or file name built from request values must stay inside the repository.
        var prefix = _root.EndsWith(Path.DirectorySeparatorChar) ? _root : _root + Path.DirectorySeparatorChar;
        return full == _root || full.StartsWith(prefix, StringComparison.Ordinal) ? full : null;
    }

    private sealed record CachedFile(DateTime Modified, long Length, OrderedDictionary<string, object?> Properties);
}
