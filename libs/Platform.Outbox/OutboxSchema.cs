using Npgsql;

namespace Platform.Outbox;

/// <summary>The outbox table. Creation is idempotent and safe to run on every start.</summary>
public static class OutboxSchema
{
    public const string Table = "platform_outbox";
    public const string Channel = "platform_outbox";

    private const string Ddl = $"""
        CREATE TABLE IF NOT EXISTS {Table} (
            id            bigserial PRIMARY KEY,
            topic         text        NOT NULL,
            message_key   text,
            event_id      text        NOT NULL,
            source        text        NOT NULL,
            type          text        NOT NULL,
            subject       text,
            event_time    timestamptz NOT NULL,
            content_type  text        NOT NULL,
            data          bytea       NOT NULL,
            extensions    jsonb,
            created_at    timestamptz NOT NULL DEFAULT now(),
            published_at  timestamptz
        );
        CREATE INDEX IF NOT EXISTS {Table}_unpublished ON {Table} (id) WHERE published_at IS NULL;
        CREATE INDEX IF NOT EXISTS {Table}_published_at ON {Table} (published_at) WHERE published_at IS NOT NULL;
        """;

    public static async Task EnsureCreatedAsync(NpgsqlDataSource db, CancellationToken ct = default)
    {
        await using var conn = await db.OpenConnectionAsync(ct).ConfigureAwait(false);
        // Two services starting at once must not race on CREATE TABLE IF NOT EXISTS (it is not atomic).
        await using var tx = await conn.BeginTransactionAsync(ct).ConfigureAwait(false);
        await using (var lockCmd = new NpgsqlCommand("SELECT pg_advisory_xact_lock(7070001)", conn, tx))
            await lockCmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        await using (var cmd = new NpgsqlCommand(Ddl, conn, tx))
            await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        await tx.CommitAsync(ct).ConfigureAwait(false);
    }
}
