using Microsoft.Extensions.Options;
using Npgsql;
using Platform.ConfigServer.Refresh;

namespace Platform.ConfigServer.Backends.Jdbc;

/// <summary>
/// Turns row changes in the properties table into bus refreshes: a trigger (installed at start, idempotently)
/// sends the changed row's application on a Postgres notification channel; this worker listens, gathers the
/// applications of one burst of changes, and publishes <c>{application}:**</c> (or <c>**</c> for
/// <c>application</c>, which every app reads). The connection is re-opened with back-off when it drops.
/// </summary>
internal sealed partial class JdbcChangePublisher(
    NpgsqlDataSource dataSource,
    IOptions<JdbcOptions> options,
    BusRefreshPublisher bus,
    TimeProvider time,
    ILogger<JdbcChangePublisher> logger) : BackgroundService
{
    public const string Channel = "config_server_changes";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var backoff = TimeSpan.FromMilliseconds(500);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is NpgsqlException or System.Net.Sockets.SocketException or Confluent.Kafka.KafkaException
                                           && !stoppingToken.IsCancellationRequested)
            {
                LogListenFailed(logger, ex, options.Value.Table, backoff.TotalMilliseconds);
                await Task.Delay(backoff, time, stoppingToken);
                backoff = TimeSpan.FromMilliseconds(Math.Min(backoff.TotalMilliseconds * 2, 30_000));
            }
        }
    }

    private async Task ListenAsync(CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var pending = new HashSet<string>(StringComparer.Ordinal);
        conn.Notification += (_, e) => { lock (pending) pending.Add(e.Payload); };
        // Listen first: once the trigger exists, no change can fall between it and the LISTEN.
        await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", conn)) await listen.ExecuteNonQueryAsync(ct);
        await InstallTriggerAsync(conn, ct);
        LogListening(logger, options.Value.Table, Channel);
        var debounce = TimeSpan.FromMilliseconds(options.Value.ChangeDebounceMilliseconds);
        while (!ct.IsCancellationRequested)
        {
            await conn.WaitAsync(ct);
            // Let the rest of the burst (one notification per row) arrive, then publish once per application.
            while (await conn.WaitAsync(debounce, ct)) { }
            string[] apps;
            lock (pending)
            {
                apps = [.. pending];
                pending.Clear();
            }
            var destinations = apps.Contains("application") ? ["**"] : apps.Select(a => a + ":**").ToArray();
            foreach (var destination in destinations) await bus.PublishAsync(destination, ct);
        }
    }

    private async Task InstallTriggerAsync(NpgsqlConnection conn, CancellationToken ct)
    {
        var table = options.Value.Table;
        var trigger = "config_server_notify_" + table.Replace('.', '_').ToLowerInvariant();
        await using var cmd = new NpgsqlCommand($"""
            CREATE OR REPLACE FUNCTION config_server_notify() RETURNS trigger LANGUAGE plpgsql AS $fn$
            BEGIN
              IF TG_OP = 'DELETE' THEN
                PERFORM pg_notify('{Channel}', OLD.APPLICATION);
              ELSE
                PERFORM pg_notify('{Channel}', NEW.APPLICATION);
                IF TG_OP = 'UPDATE' AND OLD.APPLICATION IS DISTINCT FROM NEW.APPLICATION THEN
                  PERFORM pg_notify('{Channel}', OLD.APPLICATION);
                END IF;
              END IF;
              RETURN NULL;
            END $fn$;
            CREATE OR REPLACE TRIGGER {trigger} AFTER INSERT OR UPDATE OR DELETE ON {table}
              FOR EACH ROW EXECUTE FUNCTION config_server_notify();
            """, conn);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    [LoggerMessage(EventId = 8401, Level = LogLevel.Information, Message = "publishing refreshes for changes in {Table} (channel {Channel})")]
    private static partial void LogListening(ILogger logger, string table, string channel);

    [LoggerMessage(EventId = 8402, Level = LogLevel.Warning, Message = "listening for changes in {Table} failed; retrying in {DelayMs} ms")]
    private static partial void LogListenFailed(ILogger logger, Exception ex, string table, double delayMs);
}
