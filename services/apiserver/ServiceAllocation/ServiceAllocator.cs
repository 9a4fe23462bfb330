using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Platform.ApiServer.Problems;
using Platform.ApiServer.Storage;
using Platform.Contracts.Resources;
using Platform.Contracts.Validation;

namespace Platform.ApiServer.ServiceAllocation;

/// <summary>
/// Gives a Service its cluster IP and node ports, as rows of <see cref="Schema.ServiceIps"/> and <see cref="Schema.NodePorts"/>
/// written in the transaction of the Service write: the primary keys make two concurrent creates wait for each other and
/// the loser take another value (or, for a value it asked for, a 422), a rollback frees them, and deleting the Service row
/// frees them through the trigger. Requested values are honoured when free and in range, with Kubernetes' messages.
/// Headless and ExternalName Services get no IP; only NodePort and LoadBalancer Services get node ports. A LoadBalancer's
/// <c>status.loadBalancer.ingress</c> is the load balancer implementation's to write (the platform has none yet).
/// </summary>
internal sealed class ServiceAllocator(IOptions<ApiServerOptions> options)
{
    private const int Attempts = 16;
    private readonly ServiceIpRange _ips = ServiceIpRange.TryParse(options.Value.ServiceClusterIpRange, out var r, out _) ? r : throw new OptionsValidationException(
        nameof(ApiServerOptions.ServiceClusterIpRange), typeof(ApiServerOptions), ["ApiServer:ServiceClusterIpRange: invalid"]);
    private readonly NodePortRange _ports = NodePortRange.TryParse(options.Value.ServiceNodePortRange, out var p, out _) ? p : throw new OptionsValidationException(
        nameof(ApiServerOptions.ServiceNodePortRange), typeof(ApiServerOptions), ["ApiServer:ServiceNodePortRange: invalid"]);

    /// <summary>Allocates what <paramref name="body"/> (an admitted Service) needs and releases what it no longer has; returns the body with them filled in.</summary>
    public async Task<JsonObject> AllocateAsync(WriteSession w, JsonObject body, CancellationToken ct)
    {
        var svc = (Service)ResourceCodec.Decode(ResourceKinds.Service, body);
        var owner = new Owner(svc.Metadata.Namespace!, svc.Metadata.Name!, Guid.Parse(svc.Metadata.Uid!));
        var errors = new FieldErrors();
        var spec = svc.Spec;
        if (spec.IpFamilyPolicy == "RequireDualStack")
            errors.Invalid("spec.ipFamilyPolicy", "Invalid value: \"RequireDualStack\": this cluster is not configured for dual-stack services");
        for (var i = 0; i < (spec.IpFamilies?.Count ?? 0); i++)
            if (spec.IpFamilies![i] != "IPv4") errors.Invalid($"spec.ipFamilies[{i}]", $"Invalid value: \"{spec.IpFamilies[i]}\": not configured on this cluster");
        spec = await AllocateClusterIpAsync(w, owner, spec, errors, ct);
        spec = await AllocateNodePortsAsync(w, owner, spec, errors, ct);
        if (errors.Count > 0) throw ApiProblem.Invalid(ResourceKinds.Service.Kind, owner.Name, errors);
        return ResourceCodec.Encode(svc with { Spec = spec });
    }

    private async Task<ServiceSpec> AllocateClusterIpAsync(WriteSession w, Owner owner, ServiceSpec spec, FieldErrors errors, CancellationToken ct)
    {
        if (spec.Type == "ExternalName")
        {
            await ReleaseAsync(w, Schema.ServiceIps, "address", owner, [], ct);
            return spec with { ClusterIP = null, ClusterIPs = null, IpFamilies = null, IpFamilyPolicy = null };
        }
        if (spec.ClusterIP == "None")
        {
            await ReleaseAsync(w, Schema.ServiceIps, "address", owner, [], ct);
            return spec with { ClusterIPs = ["None"] };
        }
        string? ip;
        if (spec.ClusterIP is { Length: > 0 } requested)
        {
            ip = requested;
            var message = !IPAddress.TryParse(requested, out var address) || !_ips.TryOffset(address, out _)
                ? $"the provided IP ({requested}) is not in the valid range. The range of valid IPs is {_ips.Cidr}"
                : await ClaimAsync(w, Schema.ServiceIps, "address", "inet", requested, owner, ct) ? null : "provided IP is already allocated";
            if (message is not null)
                errors.Invalid("spec.clusterIPs", $"Invalid value: {ServiceValidator.GoStrings([requested])}: failed to allocate IP {requested}: {message}");
        }
        else
        {
            var count = _ips.LastHost - _ips.FirstDynamic + 1;
            var sql = Candidates(Schema.ServiceIps, "address", "$1::inet + c.o", "host(address)");
            ip = await AllocateAsync(w, sql, _ips.NetworkAddress.ToString(), owner, _ips.FirstDynamic, count, ct);
            if (ip is null) errors.Invalid("spec.clusterIPs", "failed to allocate a serviceIP: range is full");
        }
        if (ip is not null) await ReleaseAsync(w, Schema.ServiceIps, "address", owner, [ip], ct);
        return spec with { ClusterIP = ip, ClusterIPs = ip is null ? null : [ip] };
    }

    private async Task<ServiceSpec> AllocateNodePortsAsync(WriteSession w, Owner owner, ServiceSpec spec, FieldErrors errors, CancellationToken ct)
    {
        if (spec.Type is not ("NodePort" or "LoadBalancer") || spec.Ports is not { Count: > 0 } ports)
        {
            await ReleaseAsync(w, Schema.NodePorts, "port", owner, [], ct);
            return spec;
        }
        var result = ports.ToList();
        var kept = new List<string>();
        // Requested ports first, so a port allocated automatically never takes one a later entry asks for.
        for (var i = 0; i < result.Count; i++)
        {
            if (result[i]?.NodePort is not (> 0 and var requested)) continue;
            var text = requested.ToString(CultureInfo.InvariantCulture);
            var message = !_ports.Contains(requested)
                ? $"provided port is not in the valid range. The range of valid ports is {_ports}"
                : await ClaimAsync(w, Schema.NodePorts, "port", "int", text, owner, ct) ? null : "provided port is already allocated";
            if (message is null) kept.Add(text);
            else errors.Invalid($"spec.ports[{i}].nodePort", $"Invalid value: {requested}: {message}");
        }
        for (var i = 0; i < result.Count; i++)
        {
            if (result[i] is null || result[i].NodePort is > 0) continue;
            var count = _ports.Last - _ports.First + 1;
            var sql = Candidates(Schema.NodePorts, "port", "$1::int + c.o", "port::text");
            var port = await AllocateAsync(w, sql, "0", owner, _ports.First, count, ct);
            if (port is null) { errors.Invalid($"spec.ports[{i}].nodePort", "failed to allocate a nodePort: range is full"); continue; }
            kept.Add(port);
            result[i] = result[i] with { NodePort = int.Parse(port, CultureInfo.InvariantCulture) };
        }
        await ReleaseAsync(w, Schema.NodePorts, "port", owner, kept, ct);
        return spec with { Ports = result };
    }

    /// <summary>Takes <paramref name="value"/> for <paramref name="owner"/>; true also when the owner already holds it.</summary>
    private static async Task<bool> ClaimAsync(WriteSession w, string table, string column, string type, string value, Owner owner, CancellationToken ct)
    {
        await using (var insert = w.Command($"INSERT INTO {table} ({column}, namespace, name, uid) VALUES ($1::{type}, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING 1"))
        {
            AddOwner(insert, value, owner);
            if (await insert.ExecuteScalarAsync(ct) is not null) return true;
        }
        // Taken: by this Service (an update keeping it) or by another, committed before this statement ran.
        await using var holder = w.Command($"SELECT uid FROM {table} WHERE {column} = $1::{type}");
        holder.Parameters.Add(new NpgsqlParameter { Value = value, NpgsqlDbType = NpgsqlDbType.Text });
        return await holder.ExecuteScalarAsync(ct) is Guid uid && uid == owner.Uid;
    }

    /// <summary>
    /// SQL inserting the first free value from a random point of the range and returning it, with whether there was a free
    /// value at all. A concurrent transaction that took the same value makes the insert wait and then do nothing.
    /// </summary>
    private static string Candidates(string table, string column, string value, string text) =>
        $"WITH c AS (SELECT {value} AS v FROM (SELECT $5 + ($6 + k) % $7 AS o FROM generate_series(0::bigint, $7 - 1) k) c " +
        $"WHERE NOT EXISTS (SELECT 1 FROM {table} WHERE {column} = {value}) LIMIT 1), " +
        $"ins AS (INSERT INTO {table} ({column}, namespace, name, uid) SELECT v, $2, $3, $4 FROM c ON CONFLICT DO NOTHING RETURNING {text} AS t) " +
        "SELECT (SELECT t FROM ins), EXISTS (SELECT 1 FROM c)";

    /// <summary>Runs <see cref="Candidates"/> until it inserts a value (another attempt when a concurrent writer won it); null when the range is full.</summary>
    private static async Task<string?> AllocateAsync(WriteSession w, string sql, string @base, Owner owner, long first, long count, CancellationToken ct)
    {
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            await using var cmd = w.Command(sql);
            AddOwner(cmd, @base, owner);
            cmd.Parameters.Add(new NpgsqlParameter { Value = first, NpgsqlDbType = NpgsqlDbType.Bigint });
            cmd.Parameters.Add(new NpgsqlParameter { Value = (long)RandomNumberGenerator.GetInt32((int)Math.Min(count, int.MaxValue)), NpgsqlDbType = NpgsqlDbType.Bigint });
            cmd.Parameters.Add(new NpgsqlParameter { Value = count, NpgsqlDbType = NpgsqlDbType.Bigint });
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            if (!reader.IsDBNull(0)) return reader.GetString(0);
            if (!reader.GetBoolean(1)) return null;
        }
        throw ApiProblem.Conflict("allocating a cluster IP or node port kept racing with concurrent writers; retry");
    }

    private static void AddOwner(NpgsqlCommand cmd, string value, Owner owner)
    {
        cmd.Parameters.Add(new NpgsqlParameter { Value = value, NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter { Value = owner.Namespace });
        cmd.Parameters.Add(new NpgsqlParameter { Value = owner.Name });
        cmd.Parameters.Add(new NpgsqlParameter { Value = owner.Uid });
    }

    /// <summary>Frees what <paramref name="owner"/> holds in <paramref name="table"/> except <paramref name="keep"/>.</summary>
    private static async Task ReleaseAsync(WriteSession w, string table, string column, Owner owner, List<string> keep, CancellationToken ct)
    {
        var text = table == Schema.ServiceIps ? $"host({column})" : $"{column}::text";
        await using var cmd = w.Command($"DELETE FROM {table} WHERE uid = $1 AND NOT ({text} = ANY($2))");
        cmd.Parameters.Add(new NpgsqlParameter { Value = owner.Uid });
        cmd.Parameters.Add(new NpgsqlParameter { Value = keep.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private sealed record Owner(string Namespace, string Name, Guid Uid);
}
