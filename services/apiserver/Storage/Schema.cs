using Npgsql;

namespace Platform.ApiServer.Storage;

/// <summary>
/// Numbered, append-only migrations, applied once each under an advisory lock so several apiservers starting
/// together do not race. Safe to run on every start.
/// </summary>
internal static class Schema
{
    public const string Objects = "apiserver_objects";
    public const string Changes = "apiserver_changes";
    public const string Tokens = "apiserver_tokens";
    public const string Compaction = "apiserver_compaction";
    public const string Sequence = "apiserver_resource_version";
    /// <summary>Allocated Service cluster IPs, one row per address, owned by the Service's uid.</summary>
    public const string ServiceIps = "apiserver_service_ips";
    /// <summary>Allocated node ports, one row per port, owned by the Service's uid.</summary>
    public const string NodePorts = "apiserver_node_ports";
    /// <summary><c>apiserver_expect(ok, sqlstate)</c>: raises <c>sqlstate</c> unless <c>ok</c>, so a check inside a statement batch stops the batch (and the COMMIT at its end).</summary>
    public const string Expect = "apiserver_expect";
    /// <summary>SQLSTATE: the object a write requires (its namespace, a pod's node) does not exist.</summary>
    public const string ParentMissing = "AP404";
    /// <summary>SQLSTATE: a row write touched no row (name taken on create; row gone on update or delete).</summary>
    public const string RowMissed = "AP409";
    private const long MigrationLock = 7070003;

    private static readonly (int Version, string Sql)[] Migrations =
    [
        (1, $"""
            CREATE SEQUENCE IF NOT EXISTS {Sequence};
            CREATE TABLE IF NOT EXISTS {Objects} (
                kind             text    NOT NULL,
                namespace        text    NOT NULL,
                name             text    NOT NULL,
                uid              uuid    NOT NULL UNIQUE,
                resource_version bigint  NOT NULL,
                labels           jsonb   NOT NULL DEFAULT '{"{}"}'::jsonb,
                node_name        text,
                phase            text,
                owner_uids       uuid[]  NOT NULL DEFAULT '{"{}"}',
                body             json    NOT NULL,
                secret_data      bytea,
                PRIMARY KEY (kind, namespace, name)
            );
            CREATE INDEX IF NOT EXISTS {Objects}_labels ON {Objects} USING gin (labels);
            CREATE INDEX IF NOT EXISTS {Objects}_owners ON {Objects} USING gin (owner_uids);
            CREATE INDEX IF NOT EXISTS {Objects}_node ON {Objects} (kind, node_name) WHERE node_name IS NOT NULL;
            CREATE INDEX IF NOT EXISTS {Objects}_namespace ON {Objects} (namespace);
            CREATE TABLE IF NOT EXISTS {Changes} (
                resource_version bigint      PRIMARY KEY,
                kind             text        NOT NULL,
                namespace        text        NOT NULL,
                name             text        NOT NULL,
                type             text        NOT NULL,
                body             json        NOT NULL,
                at               timestamptz NOT NULL DEFAULT now()
            );
            CREATE INDEX IF NOT EXISTS {Changes}_kind ON {Changes} (kind, resource_version);
            CREATE TABLE IF NOT EXISTS {Compaction} (
                id                int    PRIMARY KEY,
                compacted_through bigint NOT NULL
            );
            CREATE TABLE IF NOT EXISTS {Tokens} (
                name        text        PRIMARY KEY,
                token_hash  text        NOT NULL UNIQUE,
                role        text        NOT NULL,
                namespace   text,
                node_name   text,
                created_at  timestamptz NOT NULL DEFAULT now()
            );
            """),
        (2, $"""
            CREATE OR REPLACE FUNCTION {Expect}(ok boolean, state text) RETURNS void LANGUAGE plpgsql AS $$
            BEGIN
                IF NOT ok THEN RAISE EXCEPTION USING ERRCODE = state, MESSAGE = 'apiserver check failed: ' || state; END IF;
            END $$;
            """),
        // Cluster IPs and node ports are rows written in the transaction of the Service write, so two creates never get
        // the same one (the primary key) and a crash never leaks one; deleting the Service row frees them (the trigger),
        // whichever path deletes it (a delete, a namespace's deletion, the garbage collector).
        (3, $"""
            CREATE TABLE IF NOT EXISTS {ServiceIps} (
                address   inet PRIMARY KEY,
                namespace text NOT NULL,
                name      text NOT NULL,
                uid       uuid NOT NULL
            );
            CREATE INDEX IF NOT EXISTS {ServiceIps}_uid ON {ServiceIps} (uid);
            CREATE TABLE IF NOT EXISTS {NodePorts} (
                port      int  PRIMARY KEY,
                namespace text NOT NULL,
                name      text NOT NULL,
                uid       uuid NOT NULL
            );
            CREATE INDEX IF NOT EXISTS {NodePorts}_uid ON {NodePorts} (uid);
            CREATE OR REPLACE FUNCTION apiserver_release_service() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                DELETE FROM {ServiceIps} WHERE uid = OLD.uid;
                DELETE FROM {NodePorts} WHERE uid = OLD.uid;
                RETURN NULL;
            END $$;
            DROP TRIGGER IF EXISTS apiserver_release_service ON {Objects};
            CREATE TRIGGER apiserver_release_service AFTER DELETE ON {Objects}
                FOR EACH ROW WHEN (OLD.kind = 'Service') EXECUTE FUNCTION apiserver_release_service();
            """),
    ];

    public static async Task MigrateAsync(NpgsqlDataSource db, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using (var cmd = new NpgsqlCommand(
            $"SELECT pg_advisory_xact_lock({MigrationLock}); CREATE TABLE IF NOT EXISTS apiserver_migrations (version int PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())", conn, tx))
            await cmd.ExecuteNonQueryAsync(ct);
        var applied = new HashSet<int>();
        await using (var cmd = new NpgsqlCommand("SELECT version FROM apiserver_migrations", conn, tx))
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct)) applied.Add(reader.GetInt32(0));
        foreach (var (version, sql) in Migrations.Where(m => !applied.Contains(m.Version)))
        {
            await using var cmd = new NpgsqlCommand(sql + $"; INSERT INTO apiserver_migrations (version) VALUES ({version})", conn, tx);
            await cmd.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
    }
}
