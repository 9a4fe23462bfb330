using Microsoft.Extensions.Options;
using Platform.ConfigServer.Backends.Kubernetes;
using Platform.ConfigServer.Environment;

namespace Platform.ConfigServer.Backends.ConfigMaps;

/// <summary>
/// ConfigMaps (and, when enabled, Secrets) as property sources, in the file backends' order: for each profile from last
/// to first the application's objects before <c>application</c>'s, then those of no profile (<c>default</c>). At each
/// of these levels ConfigMaps come before Secrets, as in Spring Cloud Kubernetes' config server (its ConfigMap supplier
/// runs before its Secrets supplier for every profile, and its documentation has a ConfigMap's value override a
/// Secret's), so a profile-specific Secret still beats the ConfigMap of no profile. Several objects of one kind at one
/// level are ordered by name. Only the namespace the caller was admitted to (<see cref="EnvironmentRequest.Namespace"/>)
/// takes part, and each source decides per object whether this caller sees it.
/// </summary>
internal sealed class ConfigMapEnvironmentRepository(IEnumerable<IConfigDataSource> sources, IOptions<ConfigMapOptions> options) : IEnvironmentRepository
{
    // Registered ConfigMaps first, then Secrets: the order of precedence at each level.
    private readonly IConfigDataSource[] _sources = [.. sources];

    public string Name => string.Join(" and ", _sources.Select(s => s.Kind.Plural));

    public int Order => options.Value.Order;

    public async Task<RepositoryResult> FindAsync(EnvironmentRequest request, CancellationToken cancellationToken)
    {
        var label = request.Label ?? options.Value.DefaultLabel;
        if (label != options.Value.DefaultLabel) throw new LabelNotFoundException(label, Name);
        var ns = request.Namespace ?? options.Value.Namespace;
        var entries = _sources.Select(s => (Source: s, Entries: s.Store.Entries.Where(e => e.Namespace == ns).ToList())).ToList();
        var result = new List<PropertySource>();
        var profiles = request.ProfilesByPrecedence.Where(p => p != "default").Append("default");
        foreach (var profile in profiles)
        {
            foreach (var app in request.NamesByPrecedence)
            {
                foreach (var (source, held) in entries)
                {
                    foreach (var entry in held.Where(e => e.Serves(app, profile)).OrderBy(e => e.Name, StringComparer.Ordinal))
                    {
                        if (await source.MayServeAsync(entry, request, cancellationToken)) result.Add(entry.Source);
                    }
                }
            }
        }
        return new RepositoryResult(result, null, label);
    }

    /// <summary>ConfigMaps and Secrets hold properties, not files to serve as plain text.</summary>
    public Task<string?> FindPlainTextAsync(EnvironmentRequest request, string path, CancellationToken cancellationToken) =>
        Task.FromResult<string?>(null);
}
