using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using Platform.Discovery.Api.Codecs;
using Platform.Discovery.Configuration;
using Platform.Discovery.Registry;

namespace Platform.Discovery.Replication;

/// <summary>
/// Once the server listens: copies the registry from the first peer that answers (a restarted server catches
/// up), then ships replication tasks to every peer in batches, one sender per peer so a dead peer does not
/// hold up the others.
/// </summary>
internal sealed partial class PeerReplicationService(
    PeerReplicator replicator, InstanceRegistry registry, IServer server, IHostApplicationLifetime lifetime,
    IHttpClientFactory httpClients, IConfiguration configuration, IOptions<EurekaServerOptions> options,
    PeerStatus status, ILogger<PeerReplicationService> logger) : BackgroundService
{
    public const string HttpClientName = "eureka-peers";
    private readonly EurekaServerOptions _o = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var configured = PeerUrls.FromConfiguration(configuration);
        if (configured.Count == 0) return;
        await WaitForStartAsync(stoppingToken);
        var own = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var peers = PeerUrls.ExcludeSelf(configured, own);
        status.SetPeers(peers);
        if (peers.Count == 0)
        {
            replicator.Deactivate();
            return;
        }
        await SyncFromPeersAsync(peers, stoppingToken);
        var channels = peers.ToDictionary(p => p, _ => Channel.CreateBounded<ReplicationTask>(
            new BoundedChannelOptions(100_000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true }));
        var senders = peers.Select(p => SendLoopAsync(p, channels[p].Reader, stoppingToken)).ToList();
        try
        {
            await foreach (var task in replicator.Outbox.ReadAllAsync(stoppingToken))
                foreach (var c in channels.Values) c.Writer.TryWrite(task);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
        foreach (var c in channels.Values) c.Writer.TryComplete();
        await Task.WhenAll(senders);
    }

    private async Task WaitForStartAsync(CancellationToken ct)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var a = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        using var b = ct.Register(() => started.TrySetCanceled(ct));
        await started.Task;
    }

    private async Task SyncFromPeersAsync(IReadOnlyList<Uri> peers, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(_o.PeerSyncTimeoutSeconds));
        foreach (var peer in peers)
        {
            try
            {
                using var request = NewRequest(HttpMethod.Get, peer, "apps/");
                request.Headers.Accept.ParseAdd("application/json");
                using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, timeout.Token);
                response.EnsureSuccessStatusCode();
                var doc = JsonNode.Parse(await response.Content.ReadAsStreamAsync(timeout.Token));
                var count = 0;
                foreach (var app in doc?["applications"]?["application"]?.AsArray() ?? [])
                    foreach (var i in app?["instance"]?.AsArray() ?? [])
                    {
                        var parsed = InstanceReader.Read(i, "instance", null, registry.NowMs);
                        if (!parsed.Ok) continue;
                        registry.Register(parsed.Value!, isReplication: true);
                        count++;
                    }
                LogSynced(logger, count, PeerUrls.Display(peer));
                return;
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or System.Text.Json.JsonException or InvalidOperationException)
            {
                if (ct.IsCancellationRequested) throw;
                LogSyncFailed(logger, PeerUrls.Display(peer), ex.Message);
            }
        }
    }

    private async Task SendLoopAsync(Uri peer, ChannelReader<ReplicationTask> reader, CancellationToken ct)
    {
        var batch = new List<ReplicationTask>(_o.ReplicationBatchSize);
        try
        {
            while (await reader.WaitToReadAsync(ct))
            {
                batch.Clear();
                while (batch.Count < _o.ReplicationBatchSize && reader.TryRead(out var t)) batch.Add(t);
                await SendWithRetryAsync(peer, batch, ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
    }

    private async Task SendWithRetryAsync(Uri peer, List<ReplicationTask> batch, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var codes = await SendAsync(peer, batch, ct);
                status.Succeeded(peer);
                for (var n = 0; n < codes.Count && n < batch.Count; n++)
                {
                    // The peer lost the instance (it restarted): send it the whole registration.
                    if (codes[n] == 404 && batch[n].Action == ReplicationTask.Heartbeat && registry.Get(batch[n].AppName, batch[n].Id) is { } v)
                        replicator.OnChanged(new RegistryChange(RegistryChangeKind.Registered, v.Info, false, registry.NowMs));
                }
                return;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException && !ct.IsCancellationRequested)
            {
                status.Failed(peer, ex.Message);
                if (attempt >= 3)
                {
                    LogDropped(logger, batch.Count, PeerUrls.Display(peer), ex.Message);
                    return;
                }
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt * attempt), ct);
            }
        }
    }

    private async Task<List<int>> SendAsync(Uri peer, List<ReplicationTask> batch, CancellationToken ct)
    {
        var list = new JsonArray();
        foreach (var t in batch)
        {
            var o = new JsonObject
            {
                ["appName"] = t.AppName, ["id"] = t.Id, ["lastDirtyTimestamp"] = t.LastDirtyTimestamp,
                ["status"] = t.Status, ["overriddenStatus"] = t.OverriddenStatus, ["action"] = t.Action,
            };
            if (t.Instance is not null) o["instanceInfo"] = InstanceJson(t.Instance);
            list.Add(o);
        }
        using var request = NewRequest(HttpMethod.Post, peer, "peerreplication/batch");
        request.Content = new StringContent(new JsonObject { ["replicationList"] = list }.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, ct);
        response.EnsureSuccessStatusCode();
        var doc = JsonNode.Parse(await response.Content.ReadAsStreamAsync(ct));
        return (doc?["responseList"]?.AsArray() ?? []).Select(r => (int?)r?["statusCode"] ?? 0).ToList();
    }

    private static JsonNode? InstanceJson(InstanceInfo i)
    {
        using var buffer = new MemoryStream();
        using (var w = new System.Text.Json.Utf8JsonWriter(buffer)) EurekaJsonWriter.WriteInstance(w, new InstanceView(i, default));
        return JsonNode.Parse(buffer.ToArray());
    }

    private HttpRequestMessage NewRequest(HttpMethod method, Uri peer, string path)
    {
        var request = new HttpRequestMessage(method, new Uri(new UriBuilder(peer) { UserName = "", Password = "" }.Uri, path));
        request.Headers.Add("x-netflix-discovery-replication", "true");
        var user = peer.UserInfo.Length > 0 ? Uri.UnescapeDataString(peer.UserInfo) : _o.AuthEnabled ? $"{_o.Username}:{_o.Password}" : null;
        if (user is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(user)));
        return request;
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "copied {Count} instances from peer {Peer}")]
    private static partial void LogSynced(ILogger logger, int count, string peer);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "could not copy the registry from peer {Peer}: {Reason}")]
    private static partial void LogSyncFailed(ILogger logger, string peer, string reason);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "dropped {Count} replication tasks for peer {Peer} after retries: {Reason}")]
    private static partial void LogDropped(ILogger logger, int count, string peer, string reason);
}
