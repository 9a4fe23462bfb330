namespace Platform.ConfigServer.Backends.Files;

/// <summary>Files under a root folder; paths never escape the root.</summary>
internal sealed class DiskFileTree(string root) : IFileTree
{
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

    public string SourceName(string path) => "file:" + (Resolve(path) ?? path);

    private string? Resolve(string path)
    {
        var full = Path.GetFullPath(Path.Combine(_root, path.TrimStart('/')));
        // A location or file name built from request values must stay inside the repository.
        var prefix = _root.EndsWith(Path.DirectorySeparatorChar) ? _root : _root + Path.DirectorySeparatorChar;
        return full == _root || full.StartsWith(prefix, StringComparison.Ordinal) ? full : null;
    }
}
