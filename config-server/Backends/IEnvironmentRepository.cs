using Platform.ConfigServer.Environment;

namespace Platform.ConfigServer.Backends;

/// <summary>
/// One configuration backend (native folder, git, Postgres). Backends are composed in <see cref="Order"/>
/// (lower first = higher precedence), like Spring's composite environment repository.
/// </summary>
internal interface IEnvironmentRepository
{
    /// <summary>Short name used in errors and logs, e.g. <c>git https://host/repo.git</c>.</summary>
    string Name { get; }

    int Order { get; }

    /// <summary>Property sources highest precedence first. Throws <see cref="LabelNotFoundException"/> for an unknown label.</summary>
    Task<RepositoryResult> FindAsync(EnvironmentRequest request, CancellationToken cancellationToken);

    /// <summary>A plain-text file for <c>/{app}/{profile}/{label}/{path}</c>, or null when this backend has none.</summary>
    Task<string?> FindPlainTextAsync(EnvironmentRequest request, string path, CancellationToken cancellationToken);
}
