using System.Text.RegularExpressions;
using System.Threading.Channels;
using Npgsql;
using Npgsql.Replication;
using Platform.Connect.Api.Config;
using Platform.Connect.Api.Connectors;
using Platform.Connect.Api.Data;

namespace Platform.Connect.Connectors.Postgres;

/// <summary>
/// Reads a database's changes for <see cref="PostgresConnectorTask"/>: makes sure the publication and the slot exist,
/// takes the snapshot when no completed one is on record (in the slot's exported snapshot, so streaming starts exactly
/// where it ends), then streams pgoutput from the committed offset. The slot is confirmed (SendStatusUpdate) only up
/// to offsets the worker committed, so a restart finds every uncommitted change still in the slot. Records a previous
/// run already put in the topics (it was killed before flushing their offsets) are not produced again
/// (<see cref="PublishedPositions"/>).
/// </summary>
internal sealed partial class ChangeReader(ConnectorSettings settings, CdcOffset? resume, ChannelWriter<SourceRecord[]> events, ISourceTaskContext context)
{
    private PublishedPositions _published = PublishedPositions.None;
    private long _reportedSkips;

    private readonly string _connectionString = PostgresCdcConfig.ConnectionString(settings);
    private readonly string _server = settings.GetRequiredString(PostgresCdcConfig.TopicPrefix);
    private readonly string _db = settings.GetRequiredString(PostgresCdcConfig.DbName);
    private readonly string _slot = settings.GetRequiredString(PostgresCdcConfig.SlotName);
    private readonly string _publication = settings.GetRequiredString(PostgresCdcConfig.PublicationName);
    private readonly IReadOnlyList<Regex> _include = PostgresCdcConfig.Tables(settings);
    private readonly bool _decimalAsString = settings.GetString(PostgresCdcConfig.DecimalHandlingMode) == "string";
    private readonly bool _tombstones = settings.GetBool(PostgresCdcConfig.TombstonesOnDelete);
    private readonly string _version = new PostgresConnector().Version;
    private readonly IReadOnlyDictionary<string, object?> _partition = CdcOffset.Partition(settings.GetRequiredString(PostgresCdcConfig.TopicPrefix));

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var catalog = new NpgsqlConnection(_connectionString);
            await catalog.OpenAsync(cancellationToken);
            await CheckWalLevelAsync(catalog, cancellationToken);
            var tables = await CapturedTablesAsync(catalog, cancellationToken);
            await EnsurePublicationAsync(catalog, tables, cancellationToken);
            _published = await PublishedPositions.ReadAsync(tables.Select(t => TableSchema.TopicOf(_server, t.Schema, t.Table)),
                context.LastRecordHeadersAsync, cancellationToken);
            context.LogDebug($"positions already in Kafka: {_published}");
            ulong? start = resume?.ResumeLsn;
            // A snapshot whose end reached Kafka is complete even when the offset saying so was never flushed.
            var snapshot = settings.GetString(PostgresCdcConfig.SnapshotMode) == "initial" && resume is not { SnapshotCompleted: true }
                && !_published.SnapshotCompleted;
            await using (var replication = new LogicalReplicationConnection(_connectionString))
            {
                await replication.Open(cancellationToken);
                var exists = await SlotExistsAsync(catalog, cancellationToken);
                if (snapshot)
                {
                    // A snapshot must match the slot's start: a slot left by an unfinished snapshot is made again.
                    if (exists) await replication.DropReplicationSlot(_slot, wait: true, cancellationToken);
                    var slot = await replication.CreatePgOutputReplicationSlot(_slot, slotSnapshotInitMode: LogicalSlotSnapshotInitMode.Export,
                        cancellationToken: cancellationToken);
                    await using var snapshotConnection = await ImportSnapshotAsync(slot.SnapshotName!, cancellationToken);
                    start = (ulong)slot.ConsistentPoint;
                    await SnapshotAsync(snapshotConnection, catalog, tables, start.Value, cancellationToken);
                }
                else if (!exists)
                {
                    await replication.CreatePgOutputReplicationSlot(_slot, slotSnapshotInitMode: LogicalSlotSnapshotInitMode.NoExport,
                        cancellationToken: cancellationToken);
                }
            }
            await StreamAsync(catalog, start, cancellationToken);
            events.TryComplete();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            events.TryComplete();
        }
        catch (Exception ex)
        {
            events.TryComplete(ex);
        }
    }

    private static async Task CheckWalLevelAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand("SHOW wal_level", connection);
        var level = (string?)await cmd.ExecuteScalarAsync(cancellationToken);
        if (level != "logical")
            throw new InvalidOperationException($"Postgres server wal_level property must be 'logical' but is: '{level}' (start the server with -c wal_level=logical)");
    }

    private bool Captured(string schema, string table) =>
        schema is not ("pg_catalog" or "information_schema") && (_include.Count == 0 || _include.Any(r => r.IsMatch($"{schema}.{table}")));

    private async Task<List<(string Schema, string Table)>> CapturedTablesAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand("""
            SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND n.nspname NOT LIKE 'pg\_%' AND n.nspname <> 'information_schema'
             ORDER BY 1, 2
            """, connection);
        var tables = new List<(string, string)>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            if (Captured(reader.GetString(0), reader.GetString(1))) tables.Add((reader.GetString(0), reader.GetString(1)));
        return tables;
    }

    private async Task EnsurePublicationAsync(NpgsqlConnection connection, List<(string Schema, string Table)> tables, CancellationToken cancellationToken)
    {
        await using (var exists = new NpgsqlCommand("SELECT 1 FROM pg_publication WHERE pubname = $1", connection) { Parameters = { new() { Value = _publication } } })
            if (await exists.ExecuteScalarAsync(cancellationToken) is not null) return;
        var sql = settings.GetString(PostgresCdcConfig.PublicationAutocreateMode) switch
        {
            "all_tables" => $"CREATE PUBLICATION {Quote(_publication)} FOR ALL TABLES",
            "filtered" when tables.Count > 0 => $"CREATE PUBLICATION {Quote(_publication)} FOR TABLE {string.Join(", ", tables.Select(t => Quote(t.Schema) + "." + Quote(t.Table)))}",
            "filtered" => throw new InvalidOperationException($"{PostgresCdcConfig.TableIncludeList} matches no table, so publication {_publication} cannot be created"),
            _ => throw new InvalidOperationException($"Publication {_publication} does not exist and {PostgresCdcConfig.PublicationAutocreateMode} is disabled"),
        };
        await using var create = new NpgsqlCommand(sql, connection);
        await create.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<bool> SlotExistsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand("SELECT database FROM pg_replication_slots WHERE slot_name = $1", connection) { Parameters = { new() { Value = _slot } } };
        var database = await cmd.ExecuteScalarAsync(cancellationToken);
        if (database is string other && other != _db)
            throw new InvalidOperationException($"Replication slot {_slot} belongs to database {other}, not {_db}; choose another {PostgresCdcConfig.SlotName}");
        return database is not null;
    }

    internal static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
