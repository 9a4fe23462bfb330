using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Extensions.Options;
using Platform.Gateway.Configuration;

namespace Platform.Gateway.RateLimiting.Fleet;

/// <summary>
/// Where a RequestRateLimiter takes its tokens. Without a fleet (<see cref="FleetOptions.Enabled"/> false): the local
/// bucket. With one: the bucket of the replica that owns the key (<see cref="FleetView.OwnerOf"/>) — this process's
/// own when it is the owner, else one POST to the owner's <see cref="FleetTakeApi"/>. An owner that does not answer
/// within <c>PeerTimeout</c> is skipped for <c>PeerDownFor</c>; its keys are then served by a local bucket holding
/// this replica's share, rate/members and burst/members, so the replicas left still stay under the fleet's limit.
/// </summary>
internal sealed partial class FleetBuckets(RateLimitBuckets local, FleetMembership membership, IHttpClientFactory clients, IOptions<GatewayOptions> options,
    TimeProvider time, ILogger<FleetBuckets> logger)
{
    public const string HttpClientName = "gateway-fleet";
    private readonly FleetOptions _fleet = options.Value.RateLimiter.Fleet;
    private readonly string _secret = options.Value.RateLimiter.Fleet.Secret is { Length: > 0 } s ? s : options.Value.Admin.Token ?? "";
    private readonly ConcurrentDictionary<string, long> _downUntil = new(StringComparer.Ordinal);

    public async ValueTask<(bool Allowed, long Remaining)> TakeAsync(BucketKey key, int capacity, int rate, int requested, CancellationToken cancellationToken)
    {
        if (!_fleet.Enabled) return TakeLocal(key, capacity, rate, requested);
        var view = membership.Current;
        var owner = view.OwnerOf(Identity(key));
        if (owner == view.Self) return TakeLocal(key, capacity, rate, requested);
        var now = time.GetTimestamp();
        if (!_downUntil.TryGetValue(owner, out var until) || now >= until)
        {
            if (await TakeRemoteAsync(owner, key, capacity, rate, requested, cancellationToken).ConfigureAwait(false) is { } answer) return answer;
            _downUntil[owner] = time.GetTimestamp() + (long)(_fleet.PeerDownFor.TotalSeconds * time.TimestampFrequency);
        }
        // This replica's share of the owner's budget while the owner cannot be asked.
        var members = view.Members.Count;
        var share = key with { Limits = $"{key.Limits}|share/{members}" };
        return local.Get(share, Math.Max(requested, capacity / (double)members), rate / (double)members).TryTake(requested, time.GetTimestamp(), time.TimestampFrequency);
    }

    /// <summary>Takes from this replica's own bucket: the one the fleet's owner answers from.</summary>
    public (bool Allowed, long Remaining) TakeLocal(BucketKey key, double capacity, double rate, int requested) =>
        local.Get(key, capacity, rate).TryTake(requested, time.GetTimestamp(), time.TimestampFrequency);

    /// <summary>What the key is hashed on: everything that tells buckets apart.</summary>
    internal static string Identity(BucketKey key) => $"{key.Namespace}\n{key.RouteId}\n{key.Limits}\n{key.Key}";

    private async Task<(bool, long)?> TakeRemoteAsync(string owner, BucketKey key, int capacity, int rate, int requested, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_fleet.PeerTimeout);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(new Uri(owner), FleetTakeApi.Path))
        {
            Content = JsonContent.Create(new FleetTakeRequest(key.Namespace, key.RouteId, key.Limits, key.Key, capacity, rate, requested)),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _secret);
        try
        {
            using var response = await clients.CreateClient(HttpClientName).SendAsync(request, timeout.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                LogOwnerUnreachable(logger, owner, _fleet.PeerDownFor.TotalMilliseconds, $"HTTP {(int)response.StatusCode}");
                return null;
            }
            var answer = await response.Content.ReadFromJsonAsync<FleetTakeResponse>(timeout.Token).ConfigureAwait(false);
            return answer is null ? null : (answer.Allowed, answer.Remaining);
        }
        catch (Exception ex) when (ex is HttpRequestException or System.Text.Json.JsonException
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            LogOwnerUnreachable(logger, owner, _fleet.PeerDownFor.TotalMilliseconds, ex.Message);
            return null;
        }
    }

    [LoggerMessage(EventId = 9701, Level = LogLevel.Warning,
        Message = "rate-limit owner {Owner} did not answer ({Reason}); its keys take this replica's share locally for {DownForMs} ms")]
    private static partial void LogOwnerUnreachable(ILogger logger, string owner, double downForMs, string reason);
}

/// <summary>A replica asking the owner of a key for tokens.</summary>
internal sealed record FleetTakeRequest(string? Namespace, string RouteId, string Limits, string? Key, int Capacity, int Rate, int Requested);

/// <summary>The owner's answer: whether the tokens were taken and what its bucket holds now (for <c>X-RateLimit-Remaining</c>).</summary>
internal sealed record FleetTakeResponse(bool Allowed, long Remaining);
