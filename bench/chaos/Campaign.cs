using Npgsql;

namespace Platform.Bench.Chaos;

/// <summary>One fault's outcome: what was acknowledged meanwhile, what got lost, how long until all was well again.</summary>
internal sealed record PhaseResult(
    string Target,
    string Fault,
    int WritesAcked,
    int WriteErrors,
    int Lost,
    int Redelivered,
    int GatewayOk,
    int GatewayNon2xx,
    int GatewaySocketErrors,
    TimeSpan? Converged,
    string? Error);

/// <summary>
/// Under steady write load and gateway traffic, each target in turn is killed (and started again by the platform's
/// supervisor); the phase converges when the target works again, a write made after the kill is acknowledged, every
/// acknowledged write so far has reached the topic's consumer, and the gateway answered 2xx again. At the end every acknowledged write is
/// looked up in Postgres and on the topic.
/// </summary>
internal sealed class Campaign(PlatformEnvironment env, string ns, Phases phases, WriteLoad writes, EventTap tap, GatewayTraffic gateway)
{
    public static readonly TimeSpan ConvergeDeadline = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan Steady = TimeSpan.FromSeconds(2);

    public async Task<IReadOnlyList<(TimeSpan? Converged, string? Error)>> RunAsync(IReadOnlyList<FaultTarget> targets, Action<string> progress, CancellationToken ct)
    {
        progress("warm-up: writes acknowledged and consumed, the gateway answering 2xx");
        var warm = await ConvergedAsync(TimeSpan.Zero, null, phases.Elapsed + TimeSpan.FromSeconds(60), ct);
        if (warm is null) throw new InvalidOperationException("the platform did not serve writes, events and gateway traffic within 60 s before any fault");

        var outcomes = new List<(TimeSpan? Converged, string? Error)>();
        for (var i = 0; i < targets.Count; i++)
        {
            var target = targets[i];
            phases.Enter(i + 1);
            var killedAt = phases.Elapsed;
            progress($"[{i + 1}/{targets.Count}] {target.Name}: {target.Fault}");
            TimeSpan? converged = null;
            string? error = null;
            try
            {
                await target.KillAsync(ct);
                await target.RecoverAsync(ct);
                var at = await ConvergedAsync(killedAt, target, killedAt + ConvergeDeadline, ct);
                converged = at - killedAt;
                if (at is null) error = $"not converged within {ConvergeDeadline.TotalSeconds:0} s";
                await target.CleanUpAsync(ct);
            }
            catch (Exception e) when (e is InvalidOperationException or IOException or System.Net.Sockets.SocketException or UnauthorizedAccessException)
            {
                error = e.Message;
            }
            progress(error is null ? $"    converged in {converged!.Value.TotalSeconds:0.0} s" : $"    FAILED: {error}");
            outcomes.Add((converged, error));
            await Task.Delay(Steady, ct);
        }
        phases.Enter(targets.Count + 1);
        return outcomes;
    }

    /// <summary>The moment everything works again after <paramref name="since"/>, or null at the deadline.</summary>
    private async Task<TimeSpan?> ConvergedAsync(TimeSpan since, FaultTarget? target, TimeSpan deadline, CancellationToken ct)
    {
        var targetWorks = target is null;
        while (phases.Elapsed < deadline)
        {
            targetWorks = targetWorks || await target!.WorksAsync(ct);
            if (targetWorks && gateway.LastOk > since && WritesFlowSince(since)) return phases.Elapsed;
            await Task.Delay(100, ct);
        }
        return null;
    }

    /// <summary>
    /// A write sent after <paramref name="since"/> has reached the consumer, and so has every write acknowledged
    /// before it: the pipeline from the apiserver through Postgres and the relay to Kafka is whole again. (Not "every
    /// write so far": under steady load the newest acknowledgement is always a few milliseconds ahead of its event.)
    /// </summary>
    private bool WritesFlowSince(TimeSpan since)
    {
        var caughtUp = false;
        foreach (var ack in writes.Acks.OrderBy(a => a.At))
        {
            if (!tap.Saw(ack.ResourceVersion)) return caughtUp;
            if (ack.Sent > since) caughtUp = true;
        }
        return caughtUp;
    }

    /// <summary>After the load stopped: every acknowledged write looked up in Postgres and on the topic, per phase.</summary>
    public async Task<IReadOnlyList<PhaseResult>> TallyAsync(IReadOnlyList<FaultTarget> targets, IReadOnlyList<(TimeSpan? Converged, string? Error)> outcomes, Action<string> progress, CancellationToken ct)
    {
        // Give the last events time to arrive.
        var acks = writes.Acks.ToList();
        progress($"checking {acks.Count} acknowledged writes in Postgres and on {Platform.Contracts.Events.Topics.ConfigMaps}");
        var until = phases.Elapsed + TimeSpan.FromSeconds(30);
        while (phases.Elapsed < until && !acks.All(a => tap.Saw(a.ResourceVersion))) await Task.Delay(200, ct);

        var stored = await StoredVersionsAsync(ct);
        bool LostWrite(Ack a) => !stored.TryGetValue(a.Name, out var rv) || rv != a.ResourceVersion || !tap.Saw(a.ResourceVersion);

        return targets.Select((t, i) =>
        {
            var phase = i + 1;
            var mine = acks.Where(a => a.Phase == phase).ToList();
            var (ok, non2xx, socket) = gateway.In(phase);
            return new PhaseResult(t.Name, t.Fault, mine.Count, writes.ErrorsIn(phase), mine.Count(LostWrite),
                tap.Redelivered(mine.Select(a => a.ResourceVersion)), ok, non2xx, socket, outcomes[i].Converged, outcomes[i].Error);
        }).Prepend(Summary("before faults", 0, acks, LostWrite)).Append(Summary("after faults", targets.Count + 1, acks, LostWrite)).ToList();
    }

    private PhaseResult Summary(string label, int phase, List<Ack> acks, Func<Ack, bool> lost)
    {
        var mine = acks.Where(a => a.Phase == phase).ToList();
        var (ok, non2xx, socket) = gateway.In(phase);
        return new PhaseResult(label, "-", mine.Count, writes.ErrorsIn(phase), mine.Count(lost), tap.Redelivered(mine.Select(a => a.ResourceVersion)), ok, non2xx, socket, null, null);
    }

    /// <summary>name → resourceVersion of the run's ConfigMaps, read from the apiserver's table directly.</summary>
    private async Task<Dictionary<string, long>> StoredVersionsAsync(CancellationToken ct)
    {
        await using var conn = new NpgsqlConnection(env.DatabaseUrl);
        await conn.OpenAsync(ct);
        await using var cmd = new NpgsqlCommand("SELECT name, resource_version FROM apiserver_objects WHERE kind = 'ConfigMap' AND namespace = @ns", conn);
        cmd.Parameters.AddWithValue("ns", ns);
        var result = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) result[reader.GetString(0)] = reader.GetInt64(1);
        return result;
    }
}
