using Microsoft.Extensions.Options;
using Platform.ConfigServer.Environment;

namespace Platform.ConfigServer.Backends.ConfigMaps;

/// <summary>
/// ConfigMaps as property sources, in the file backends' order: for each profile from last to first the
/// application's ConfigMaps before <c>application</c>'s, then those without a profile (<c>default</c>).
/// Several ConfigMaps for the same application and profile are ordered by name. Only the ConfigMaps of the namespace
/// the caller was admitted to (<see cref="EnvironmentRequest.Namespace"/>) take part.
/// </summary>
internal sealed class ConfigMapEnvironmentRepository(ConfigMapStore store, IOptions<ConfigMapOptions> options) : IEnvironmentRepository
{
    public string Name => "configmaps";

    public int Order => options.Value.Order;

    public Task<RepositoryResult> FindAsync(EnvironmentRequest request, CancellationToken cancellationToken)
    {
        var label = request.Label ?? options.Value.DefaultLabel;
        if (label != options.Value.DefaultLabel) throw new LabelNotFoundException(label, Name);
        var ns = request.Namespace ?? options.Value.Namespace;
        var entries = store.Entries.Where(e => e.Namespace == ns).ToList();
        var sources = new List<PropertySource>();
        var profiles = request.ProfilesByPrecedence.Where(p => p != "default").Append("default");
        foreach (var profile in profiles)
        {
            foreach (var app in request.NamesByPrecedence)
            {
                sources.AddRange(entries.Where(e => e.Application == app && e.Profile == profile)
                    .OrderBy(e => e.Name, StringComparer.Ordinal).Select(e => e.Source));
            }
        }
        return Task.FromResult(new RepositoryResult(sources, null, label));
    }

    /// <summary>ConfigMaps hold properties, not files to serve as plain text.</summary>
    public Task<string?> FindPlainTextAsync(EnvironmentRequest request, string path, CancellationToken cancellationToken) =>
        Task.FromResult<string?>(null);
}
