using Microsoft.Extensions.Options;
using Npgsql;
using Platform.ConfigServer.Environment;

namespace Platform.ConfigServer.Backends.Jdbc;

/// <summary>
/// Spring's JDBC backend on Postgres. Sources follow Spring's order: for each profile from last to first and
/// then <c>default</c>, the application's rows before <c>application</c>'s, each named <c>{app}-{profile}</c>.
/// One query fetches every row of the request. A label that no row carries is a 404.
/// </summary>
internal sealed class JdbcEnvironmentRepository(NpgsqlDataSource dataSource, IOptions<JdbcOptions> options) : IEnvironmentRepository
{
    private readonly JdbcOptions _options = options.Value;

    public string Name => $"postgres {_options.Table} at {Describe(_options.ConnectionString!)}";

    public int Order => _options.Order;

    public async Task<RepositoryResult> FindAsync(EnvironmentRequest request, CancellationToken cancellationToken)
    {
        var label = request.Label ?? _options.DefaultLabel;
        var profiles = request.ProfilesByPrecedence.Where(p => p != "default").Append("default").ToList();
        var apps = request.NamesByPrecedence.ToArray();
        var rows = new Dictionary<(string App, string Profile), OrderedDictionary<string, object?>>();
        try
        {
            await using var cmd = dataSource.CreateCommand(
                $"SELECT APPLICATION, PROFILE, KEY, VALUE FROM {_options.Table} WHERE APPLICATION = ANY(@apps) AND PROFILE = ANY(@profiles) AND LABEL = @label");
            cmd.Parameters.AddWithValue("apps", apps);
            cmd.Parameters.AddWithValue("profiles", profiles.ToArray());
            cmd.Parameters.AddWithValue("label", label);
            await using (var reader = await cmd.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    var id = (reader.GetString(0), reader.GetString(1));
                    if (!rows.TryGetValue(id, out var props)) rows[id] = props = new OrderedDictionary<string, object?>();
                    props[reader.GetString(2)] = reader.IsDBNull(3) ? "" : reader.GetString(3);
                }
            }
            if (rows.Count == 0 && request.Label is not null && request.Label != _options.DefaultLabel && !await LabelExistsAsync(label, cancellationToken))
                throw new LabelNotFoundException(label, Name);
        }
        catch (NpgsqlException ex)
        {
            throw new BackendUnavailableException($"{Name} cannot be read: {ex.Message}", ex);
        }
        var sources = new List<PropertySource>();
        foreach (var profile in profiles)
        {
            foreach (var app in apps)
            {
                if (rows.TryGetValue((app, profile), out var props)) sources.Add(new PropertySource($"{app}-{profile}", props));
            }
        }
        return new RepositoryResult(sources, null, label);
    }

    /// <summary>A table has no files, so there is no plain text to serve.</summary>
    public Task<string?> FindPlainTextAsync(EnvironmentRequest request, string path, CancellationToken cancellationToken) =>
        Task.FromResult<string?>(null);

    private async Task<bool> LabelExistsAsync(string label, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand($"SELECT 1 FROM {_options.Table} WHERE LABEL = @label LIMIT 1");
        cmd.Parameters.AddWithValue("label", label);
        return await cmd.ExecuteScalarAsync(cancellationToken) is not null;
    }

    private static string Describe(string connectionString)
    {
        var b = new NpgsqlConnectionStringBuilder(connectionString);
        return $"{b.Host}:{b.Port}/{b.Database}";
    }
}
