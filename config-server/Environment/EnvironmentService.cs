using Microsoft.Extensions.Logging;
using Platform.ConfigServer.Backends;
using Platform.ConfigServer.Encryption;

namespace Platform.ConfigServer.Environment;

/// <summary>
/// Spring's composite repository: asks every backend in order, concatenates their property sources
/// (earlier backend = higher precedence) and decrypts <c>{cipher}</c> values. A label is 404 only when
/// no backend knows it, so a git branch does not have to exist as a native folder too.
/// </summary>
internal sealed partial class EnvironmentService(
    IEnumerable<IEnvironmentRepository> repositories,
    CipherValueDecryptor decryptor,
    IConfiguration configuration,
    ILogger<EnvironmentService> logger)
{
    private readonly IEnvironmentRepository[] _repositories = [.. repositories.OrderBy(r => r.Order)];
    private readonly PropertySource? _overrides = ReadOverrides(configuration);

    /// <summary><paramref name="decrypt"/> false: <c>{cipher}</c> values are served as stored (<c>?decrypt=false</c>).</summary>
    public async Task<SpringEnvironment> FindAsync(EnvironmentRequest request, CancellationToken cancellationToken, bool decrypt = true)
    {
        var sources = new List<PropertySource>();
        if (_overrides is not null) sources.Add(_overrides);
        string? version = null, label = request.Label;
        LabelNotFoundException? labelMissing = null;
        var answered = 0;
        foreach (var repository in _repositories)
        {
            RepositoryResult result;
            try
            {
                result = await repository.FindAsync(request, cancellationToken);
            }
            catch (LabelNotFoundException ex)
            {
                labelMissing ??= ex;
                continue;
            }
            answered++;
            sources.AddRange(result.Sources);
            version ??= result.Version;
            label ??= result.Label;
        }
        if (answered == 0 && labelMissing is not null) throw labelMissing;
        LogServed(logger, request.Application, string.Join(",", request.Profiles), label, sources.Count);
        return new SpringEnvironment(request.Application, request.Profiles, label, version, null,
            decrypt ? [.. sources.Select(decryptor.Decrypt)] : sources);
    }

    public async Task<string?> FindPlainTextAsync(EnvironmentRequest request, string path, CancellationToken cancellationToken)
    {
        LabelNotFoundException? labelMissing = null;
        var answered = 0;
        foreach (var repository in _repositories)
        {
            try
            {
                var text = await repository.FindPlainTextAsync(request, path, cancellationToken);
                answered++;
                if (text is not null) return text;
            }
            catch (LabelNotFoundException ex)
            {
                labelMissing ??= ex;
            }
        }
        if (answered == 0 && labelMissing is not null) throw labelMissing;
        return null;
    }

    /// <summary>Keys keep Spring's dotted form: the section's direct children are the property names.</summary>
    private static PropertySource? ReadOverrides(IConfiguration configuration)
    {
        var section = configuration.GetSection(OverridesOptions.Section);
        var values = new OrderedDictionary<string, object?>();
        foreach (var child in section.GetChildren()) values[child.Key] = child.Value ?? "";
        return values.Count == 0 ? null : new PropertySource(OverridesOptions.SourceName, values);
    }

    [LoggerMessage(EventId = 8001, Level = LogLevel.Debug, Message = "served {Application}/{Profiles}/{Label} with {Count} property sources")]
    private static partial void LogServed(ILogger logger, string application, string profiles, string? label, int count);
}
