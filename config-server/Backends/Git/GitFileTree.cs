using LibGit2Sharp;
using Platform.ConfigServer.Backends.Files;

namespace Platform.ConfigServer.Backends.Git;

/// <summary>The files of one commit, read straight from the object database (no working tree to get dirty).</summary>
internal sealed class GitFileTree(Commit commit, string uri) : IFileTree
{
    public string? ReadText(string path)
    {
        var entry = commit[path.TrimStart('/')];
        return entry?.Target is Blob blob ? blob.GetContentText() : null;
    }

    public bool DirectoryExists(string path) => commit[path.Trim('/')]?.TargetType == TreeEntryTargetType.Tree;

    public string SourceName(string path) => uri.TrimEnd('/') + "/" + path.TrimStart('/');
}
