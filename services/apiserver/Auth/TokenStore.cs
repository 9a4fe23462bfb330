using System.Collections.Concurrent;
using Npgsql;
using Platform.ApiServer.Storage;

namespace Platform.ApiServer.Auth;

/// <summary>Bearer tokens by hash, with a short in-memory cache so authentication is not a query per request.</summary>
internal sealed class TokenStore(NpgsqlDataSource db, TimeProvider time)
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);
    private readonly ConcurrentDictionary<string, (Caller? Caller, DateTimeOffset Until)> _cache = new();

    public async Task<Caller?> AuthenticateAsync(string token, CancellationToken ct)
    {
        var hash = TokenHasher.Hash(token);
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(hash, out var hit) && hit.Until > now) return hit.Caller;
        await using var cmd = db.CreateCommand($"SELECT name, role, namespace, node_name FROM {Schema.Tokens} WHERE token_hash = $1");
        cmd.Parameters.Add(new NpgsqlParameter { Value = hash });
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        Caller? caller = null;
        if (await reader.ReadAsync(ct))
        {
            caller = new Caller(reader.GetString(0), Enum.Parse<Role>(reader.GetString(1), ignoreCase: true),
                reader.IsDBNull(2) ? null : reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3));
            // A user token has no rights of its own, but it is an authenticated user, as RBAC bindings expect.
            if (caller.Role == Role.User) caller = caller with { Groups = [Rbac.Groups.Authenticated] };
        }
        if (_cache.Count > 10_000) _cache.Clear();
        _cache[hash] = (caller, now + CacheFor);
        return caller;
    }

    /// <summary>Creates a token and returns its secret value, which is not stored and cannot be shown again.</summary>
    public async Task<string?> CreateAsync(string name, Role role, string? ns, string? node, CancellationToken ct, string? token = null)
    {
        token ??= TokenHasher.NewToken();
        await using var cmd = db.CreateCommand($"INSERT INTO {Schema.Tokens} (name, token_hash, role, namespace, node_name) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING");
        cmd.Parameters.Add(new NpgsqlParameter { Value = name });
        cmd.Parameters.Add(new NpgsqlParameter { Value = TokenHasher.Hash(token) });
        cmd.Parameters.Add(new NpgsqlParameter { Value = role.ToString().ToLowerInvariant() });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)ns ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)node ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        return await cmd.ExecuteNonQueryAsync(ct) == 1 ? token : null;
    }

    /// <summary>Sets the token of <paramref name="name"/> (the bootstrap admin token from configuration).</summary>
    public async Task UpsertAsync(string name, Role role, string token, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"""
            INSERT INTO {Schema.Tokens} (name, token_hash, role) VALUES ($1, $2, $3)
            ON CONFLICT (name) DO UPDATE SET token_hash = excluded.token_hash, role = excluded.role
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = name });
        cmd.Parameters.Add(new NpgsqlParameter { Value = TokenHasher.Hash(token) });
        cmd.Parameters.Add(new NpgsqlParameter { Value = role.ToString().ToLowerInvariant() });
        await cmd.ExecuteNonQueryAsync(ct);
        _cache.Clear();
    }

    public async Task<bool> ExistsAsync(string name, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"SELECT 1 FROM {Schema.Tokens} WHERE name = $1");
        cmd.Parameters.Add(new NpgsqlParameter { Value = name });
        return await cmd.ExecuteScalarAsync(ct) is not null;
    }

    public async Task<List<TokenInfo>> ListAsync(CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"SELECT name, role, namespace, node_name, created_at FROM {Schema.Tokens} ORDER BY name");
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var list = new List<TokenInfo>();
        while (await reader.ReadAsync(ct))
            list.Add(new TokenInfo(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetFieldValue<DateTimeOffset>(4)));
        return list;
    }

    public async Task<bool> DeleteAsync(string name, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"DELETE FROM {Schema.Tokens} WHERE name = $1");
        cmd.Parameters.Add(new NpgsqlParameter { Value = name });
        var deleted = await cmd.ExecuteNonQueryAsync(ct) == 1;
        _cache.Clear();
        return deleted;
    }
}
