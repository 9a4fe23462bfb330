using Microsoft.Extensions.Options;
using Platform.ConfigServer.Backends.Files;
using Platform.ConfigServer.Environment;
using Platform.ConfigServer.Limits;

namespace Platform.ConfigServer.Backends.Native;

/// <summary>
/// Property files from local folders, read on every request so edits show at once. A label other than the
/// default selects a sub-folder of that name in each location (ahead of the location itself); a label no
/// location has is a 404, as an unknown branch is in git.
/// </summary>
internal sealed class NativeEnvironmentRepository(IOptions<NativeOptions> options, IOptions<DocumentLimitsOptions> limits) : IEnvironmentRepository
{
    private readonly NativeOptions _options = options.Value;
    private readonly DiskFileTree _tree = new("/", limits.Value);

    public string Name => "native " + string.Join(",", _options.SearchLocations);

    public int Order => _options.Order;

    public Task<RepositoryResult> FindAsync(EnvironmentRequest request, CancellationToken cancellationToken)
    {
        var locations = Locations(request);
        var sources = FolderPropertyLoader.Load(_tree, locations, request, request.Label ?? _options.DefaultLabel);
        return Task.FromResult(new RepositoryResult(sources, null, request.Label));
    }

    public Task<string?> FindPlainTextAsync(EnvironmentRequest request, string path, CancellationToken cancellationToken) =>
        Task.FromResult(FolderPropertyLoader.FindPlainText(_tree, Locations(request), request, request.Label ?? _options.DefaultLabel, path));

    private List<string> Locations(EnvironmentRequest request)
    {
        var roots = _options.SearchLocations.Select(l => Path.GetFullPath(l.Replace("{label}", "\u0000", StringComparison.Ordinal))
            .Replace("\u0000", "{label}", StringComparison.Ordinal)).ToList();
        var label = request.Label;
        if (label is null || label == _options.DefaultLabel) return roots;
        // Lowest precedence first: the plain locations, then their label sub-folders.
        var labelled = roots.Where(r => !r.Contains("{label}", StringComparison.Ordinal)).Select(r => r.TrimEnd('/') + "/" + label).ToList();
        var existing = labelled.Where(_tree.DirectoryExists).ToList();
        var hasLabelPattern = roots.Any(r => r.Contains("{label}", StringComparison.Ordinal) &&
            _tree.DirectoryExists(r.Replace("{label}", label, StringComparison.Ordinal)));
        if (existing.Count == 0 && !hasLabelPattern) throw new LabelNotFoundException(label, Name);
        return [.. roots, .. existing];
    }
}
