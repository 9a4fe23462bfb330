namespace Platform.ConfigServer.Backends.Files;

/// <summary>A read-only tree of files: a folder on disk or the tree of one git commit.</summary>
internal interface IFileTree
{
    /// <summary>The text of the file at a '/'-separated relative path, or null when absent.</summary>
    string? ReadText(string path);

    bool DirectoryExists(string path);

    /// <summary>
    /// The parsed properties of a file, or null when absent. The result is shared: callers must not change it.
    /// Throws <see cref="Limits.DocumentLimitException"/> for a file over the configured limits.
    /// </summary>
    OrderedDictionary<string, object?>? ReadProperties(string path, IReadOnlyList<string> profiles);

    /// <summary>The property source name Spring would show for a file (<c>file:/...</c> or <c>repo-uri/path</c>).</summary>
    string SourceName(string path);
}
