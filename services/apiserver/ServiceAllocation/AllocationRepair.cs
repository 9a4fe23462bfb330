using Npgsql;
using Platform.ApiServer.Storage;

namespace Platform.ApiServer.ServiceAllocation;

/// <summary>
/// Kubernetes' allocation repair loop, run at start: rows whose Service no longer exists or no longer holds the value
/// are freed, and the cluster IPs and node ports Services hold without a row (a database restored from a dump, rows
/// from before the allocation tables) are recorded again. Each statement sees one snapshot in which a Service and its
/// rows were committed together, so it is safe while other apiservers write.
/// </summary>
internal static class AllocationRepair
{
    private const string ServiceSpec = "o.kind = 'Service' AND o.uid = a.uid";
    private const string PortsOf = "json_array_elements(CASE WHEN json_typeof(o.body->'spec'->'ports') = 'array' THEN o.body->'spec'->'ports' ELSE '[]'::json END)";

    public static async Task<(int Freed, int Recorded)> RunAsync(NpgsqlDataSource db, CancellationToken ct)
    {
        var freed = await ExecuteAsync(db, $"""
            DELETE FROM {Schema.ServiceIps} a WHERE NOT EXISTS (
                SELECT 1 FROM {Schema.Objects} o WHERE {ServiceSpec} AND o.body->'spec'->>'clusterIP' = host(a.address))
            """, ct);
        freed += await ExecuteAsync(db, $"""
            DELETE FROM {Schema.NodePorts} a WHERE NOT EXISTS (
                SELECT 1 FROM {Schema.Objects} o, {PortsOf} p WHERE {ServiceSpec} AND p->>'nodePort' = a.port::text)
            """, ct);
        var recorded = await ExecuteAsync(db, $"""
            INSERT INTO {Schema.ServiceIps} (address, namespace, name, uid)
            SELECT (o.body->'spec'->>'clusterIP')::inet, o.namespace, o.name, o.uid FROM {Schema.Objects} o
            WHERE o.kind = 'Service' AND o.body->'spec'->>'clusterIP' ~ '^[0-9]{"{1,3}"}(\.[0-9]{"{1,3}"}){"{3}"}$'
            ON CONFLICT DO NOTHING
            """, ct);
        recorded += await ExecuteAsync(db, $"""
            INSERT INTO {Schema.NodePorts} (port, namespace, name, uid)
            SELECT DISTINCT ON ((p->>'nodePort')::int) (p->>'nodePort')::int, o.namespace, o.name, o.uid FROM {Schema.Objects} o, {PortsOf} p
            WHERE o.kind = 'Service' AND p->>'nodePort' ~ '^[1-9][0-9]{"{0,4}"}$'
            ON CONFLICT DO NOTHING
            """, ct);
        return (freed, recorded);
    }

    private static async Task<int> ExecuteAsync(NpgsqlDataSource db, string sql, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(sql);
        return await cmd.ExecuteNonQueryAsync(ct);
    }
}
