using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Platform.ApiServer.Storage;
using Platform.Testing.ApiServer;

namespace Platform.ApiServer.Tests.Storage;

/// <summary>Helpers that make the apiserver's group commit form a known group: hold the resourceVersion lock, queue writes, let go.</summary>
internal static class GroupCommit
{
    /// <summary>A connection holding the resourceVersion lock: the group in flight stops at it and later writes queue behind.</summary>
    public static async Task<NpgsqlConnection> HoldVersionLockAsync(string connectionString)
    {
        // Unpooled, so disposing it ends the session and with it the lock.
        var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"SELECT pg_advisory_lock({WriteSession.VersionLock})", conn);
        await cmd.ExecuteNonQueryAsync();
        return conn;
    }

    /// <summary>Waits until a group is committing (its leader stopped at the held lock).</summary>
    public static async Task WaitForInFlightAsync(ApiServerHost host)
    {
        var committer = host.Services.GetRequiredService<GroupCommitter>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!committer.InFlight) await Task.Delay(10, timeout.Token);
    }

    /// <summary>Waits until at least <paramref name="count"/> writes are queued for the next group.</summary>
    public static async Task WaitForQueuedAsync(ApiServerHost host, int count)
    {
        var committer = host.Services.GetRequiredService<GroupCommitter>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (committer.Waiting < count) await Task.Delay(10, timeout.Token);
    }

    /// <summary>Settings for a host whose outbox rows stay put (no relay), so a test can count them.</summary>
    public static void WithoutRelay(Dictionary<string, string?> s) => s["ApiServer:RelayEnabled"] = "false";

    public static System.Text.Json.Nodes.JsonObject ConfigMap(string name, string value = "v") => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "ConfigMap",
        ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["name"] = name },
        ["data"] = new System.Text.Json.Nodes.JsonObject { ["k"] = value },
    };
}
