using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Npgsql;
using Platform.ApiServer.Auth;
using Platform.ApiServer.Resources;
using Platform.ApiServer.Secrets;
using Platform.ApiServer.ServiceAllocation;
using Platform.ApiServer.Storage;
using Platform.Contracts.Resources;
using Role = Platform.ApiServer.Auth.Role;
using Platform.Outbox;
using Platform.ApiServer.Problems;

namespace Platform.ApiServer.Startup;

/// <summary>
/// Runs before the API listens: migrations (idempotent), the outbox table, the <c>default</c>, <c>kube-system</c> and <c>kube-node-lease</c> namespaces, the
/// bootstrap admin token, the default RBAC roles, the <c>platform</c> IngressClass, the <c>standard</c> StorageClass, the system PriorityClasses,
/// the <c>kubernetes</c> Service and re-encryption of Secrets still under a rotated-out key.
/// </summary>
internal sealed partial class ApiServerStartup(
    NpgsqlDataSource db, IOptions<ApiServerOptions> options, TokenStore tokens, ResourceService resources,
    SecretData secrets, RbacBootstrap rbac, ILogger<ApiServerStartup> logger) : IHostedService
{
    public const string AdminTokenName = "bootstrap-admin";
    private static readonly Caller System = new("system:apiserver", Role.Admin, null, null);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await Schema.MigrateAsync(db, cancellationToken);
        await OutboxSchema.EnsureCreatedAsync(db, cancellationToken);
        var (freed, recorded) = await AllocationRepair.RunAsync(db, cancellationToken);
        if (freed + recorded > 0) LogAllocationsRepaired(logger, freed, recorded);
        foreach (var ns in SystemNamespaces.All) await EnsureNamespaceAsync(ns, cancellationToken);
        await EnsureAdminTokenAsync(cancellationToken);
        await rbac.RunAsync(System, cancellationToken);
        await EnsureIngressClassAsync(cancellationToken);
        await EnsureStorageClassAsync(cancellationToken);
        foreach (var (name, value) in PriorityClass.SystemClasses) await EnsureSystemPriorityClassAsync(name, value, cancellationToken);
        await EnsureKubernetesServiceAsync(cancellationToken);
        var reencrypted = await ReencryptSecretsAsync(cancellationToken);
        if (reencrypted > 0) LogReencrypted(logger, reencrypted);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task EnsureNamespaceAsync(string name, CancellationToken ct)
    {
        try
        {
            var body = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = name } };
            await resources.CreateAsync(System, ResourceKinds.Namespace, null, body, new WriteRequest(), dryRun: false, ct);
        }
        catch (ApiProblem p) when (p.Reason == "AlreadyExists")
        {
            // Created on an earlier start.
        }
    }

    /// <summary>The IngressClass <c>platform</c>, served by the gateway and the default class; an operator may unmark it.</summary>
    private Task EnsureIngressClassAsync(CancellationToken ct) => EnsureDefaultObjectAsync(ResourceKinds.IngressClass, new JsonObject
    {
        ["metadata"] = new JsonObject
        {
            ["name"] = IngressClass.PlatformClass,
            ["annotations"] = new JsonObject { [IngressClass.DefaultClassAnnotation] = "true" },
        },
        ["spec"] = new JsonObject { ["controller"] = IngressClass.GatewayController },
    }, ct);

    /// <summary>
    /// The StorageClass <c>standard</c>, the default: the node agents' local provisioner makes a directory per claim
    /// on the node the first pod is scheduled to (WaitForFirstConsumer) and deletes it with the claim.
    /// </summary>
    private Task EnsureStorageClassAsync(CancellationToken ct) => EnsureDefaultObjectAsync(ResourceKinds.StorageClass, new JsonObject
    {
        ["metadata"] = new JsonObject
        {
            ["name"] = StorageClass.StandardClass,
            ["annotations"] = new JsonObject { [StorageClass.DefaultClassAnnotation] = "true" },
        },
        ["provisioner"] = StorageClass.LocalProvisioner,
        ["reclaimPolicy"] = "Delete",
        ["volumeBindingMode"] = "WaitForFirstConsumer",
    }, ct);

    /// <summary>The system PriorityClasses, as Kubernetes' apiserver creates them; the platform's own static pods use them.</summary>
    private Task EnsureSystemPriorityClassAsync(string name, int value, CancellationToken ct) => EnsureDefaultObjectAsync(ResourceKinds.PriorityClass, new JsonObject
    {
        ["metadata"] = new JsonObject { ["name"] = name },
        ["value"] = value,
        ["description"] = name == PriorityClass.SystemNodeCritical ? "Used for system critical pods that must not be moved from their current node."
            : "Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.",
    }, ct);

    /// <summary>Creates an object the platform starts with, once: what an operator changed or deleted later stays so.</summary>
    private async Task EnsureDefaultObjectAsync(ResourceKind kind, JsonObject body, CancellationToken ct, string? ns = null)
    {
        try
        {
            body["apiVersion"] = kind.ApiVersion;
            body["kind"] = kind.Kind;
            await resources.CreateAsync(System, kind, ns, body, new WriteRequest(), dryRun: false, ct);
        }
        catch (ApiProblem p) when (p.Reason == "AlreadyExists")
        {
            // Created on an earlier start, perhaps changed since: left as the operator made it.
        }
    }

    private async Task EnsureAdminTokenAsync(CancellationToken ct)
    {
        var o = options.Value;
        var token = o.AdminToken;
        if (string.IsNullOrEmpty(token))
        {
            var path = Path.Combine(o.StateDirectory, "apiserver-admin-token");
            token = GeneratedKeyFile.ReadOrCreate(path, TokenHasher.NewToken);
            LogAdminTokenFile(logger, path);
        }
        await tokens.UpsertAsync(AdminTokenName, Role.Admin, token, ct);
    }

    private async Task<int> ReencryptSecretsAsync(CancellationToken ct)
    {
        var rows = new List<(string Ns, string Name, byte[] Data)>();
        await using (var cmd = db.CreateCommand($"SELECT namespace, name, secret_data FROM {Schema.Objects} WHERE kind = 'Secret' AND secret_data IS NOT NULL"))
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct)) rows.Add((reader.GetString(0), reader.GetString(1), reader.GetFieldValue<byte[]>(2)));
        var count = 0;
        foreach (var (ns, name, data) in rows.Where(r => secrets.NeedsReencryption(r.Data)))
        {
            // Same plaintext, new key: not a change of the object, so no new resourceVersion and no event.
            await using var cmd = db.CreateCommand($"UPDATE {Schema.Objects} SET secret_data = $1 WHERE kind = 'Secret' AND namespace = $2 AND name = $3 AND secret_data = $4");
            cmd.Parameters.Add(new NpgsqlParameter { Value = secrets.Reencrypt(data, ns, name) });
            cmd.Parameters.Add(new NpgsqlParameter { Value = ns });
            cmd.Parameters.Add(new NpgsqlParameter { Value = name });
            cmd.Parameters.Add(new NpgsqlParameter { Value = data });
            count += await cmd.ExecuteNonQueryAsync(ct);
        }
        return count;
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "bootstrap admin token kept in {Path} (set ApiServer:AdminToken or PLATFORM_ADMIN_TOKEN to choose it)")]
    private static partial void LogAdminTokenFile(ILogger logger, string path);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Warning, Message = "service allocations repaired: {Freed} cluster IPs and node ports of deleted Services freed, {Recorded} held by Services recorded again")]
    private static partial void LogAllocationsRepaired(ILogger logger, int freed, int recorded);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "re-encrypted {Count} secrets with the active key")]
    private static partial void LogReencrypted(ILogger logger, int count);
}
