using LibGit2Sharp;
using Platform.ConfigServer.Backends.Files;
using Platform.ConfigServer.Limits;

namespace Platform.ConfigServer.Backends.Git;

/// <summary>The files of one commit, read straight from the object database (no working tree to get dirty).</summary>
internal sealed class GitFileTree(Commit commit, string uri, DocumentLimitsOptions limits) : IFileTree
{
    public string? ReadText(string path)
    {
        var entry = commit[path.TrimStart('/')];
        return entry?.Target is Blob blob ? blob.GetContentText() : null;
    }

    public OrderedDictionary<string, object?>? ReadProperties(string path, IReadOnlyList<string> profiles)
    {
        if (commit[path.TrimStart('/')]?.Target is not Blob blob) return null;
        // Sized before the blob is inflated into a string.
        PropertyFileParser.CheckSize(path, blob.Size, limits);
        return PropertyFileParser.Parse(path, blob.GetContentText(), profiles, limits);
    }

    public bool DirectoryExists(string path) => commit[path.Trim('/')]?.TargetType == TreeEntryTargetType.Tree;

    public string SourceName(string path) => uri.TrimEnd('/') + "/" + path.TrimStart('/');
}
