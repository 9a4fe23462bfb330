using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Platform.Console.Apiserver;
using Platform.Console.Auth;
using Platform.Contracts.Resources;
using Platform.EventBus;
using Platform.EventBus.Consuming;

namespace Platform.Console.Live;

/// <summary>
/// <c>GET /live/events</c>: the cluster's CloudEvents as Server-Sent Events, each only to users who may list its kind in
/// its namespace; <c>?ns=</c> and <c>?kind=</c> (plurals, comma-separated) narrow it, <c>?replay=false</c> skips the
/// recent history. <c>GET /live/logs/{ns}/{pod}</c>: a container's log, followed (<see cref="PodLogs"/>).
/// </summary>
internal static class LiveEndpoints
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static IServiceCollection AddConsoleLiveEvents(this IServiceCollection services, IConfiguration configuration)
    {
        var prefix = configuration[$"{ConsoleOptions.Section}:TopicPrefix"] is { Length: > 0 } p ? p : "platform.";
        var kindByTopic = ResourceKinds.All.ToDictionary(k => prefix + k.Plural);
        services.AddSingleton<EventHub>();
        services.AddSingleton(sp => new ConsoleEventSource(sp.GetRequiredService<EventHub>(), kindByTopic));
        services.AddEventBus();
        // Every console process sees every event: a group of its own, reading the retained history first so the
        // replay buffer is full from the start.
        services.AddEventConsumer<ConsoleEventSource>(o =>
        {
            o.GroupId = $"platform-console-{Guid.NewGuid():N}";
            o.AutoOffsetReset = Confluent.Kafka.AutoOffsetReset.Earliest;
            o.MaxAttempts = 1;
            foreach (var topic in kindByTopic.Keys) o.Topics.Add(topic);
        });
        return services;
    }

    public static IEndpointRouteBuilder MapConsoleLiveApi(this IEndpointRouteBuilder app)
    {
        var live = app.MapGroup("/live").RequireAuthorization();
        live.MapGet("/events", StreamEvents);
        live.MapGet("/logs/{ns}/{pod}", PodLogs.StreamAsync);
        return app;
    }

    internal static async Task StreamEvents(HttpContext context, EventHub hub, ApiServerClients clients, IOptions<ConsoleOptions> options,
        TimeProvider time, string? ns, string? kind, bool? replay, CancellationToken ct)
    {
        var token = ConsoleUser.TokenOf(context.User)!;
        var access = new StreamAccess(clients.For(token), time, TimeSpan.FromSeconds(options.Value.AccessCacheSeconds));
        // replay=false: only what happens from now on (a page that refreshes itself on change needs no history).
        var after = replay == false ? long.MaxValue
            : long.TryParse(context.Request.Headers["Last-Event-ID"], NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : 0;
        ns = string.IsNullOrWhiteSpace(ns) ? null : ns.Trim();
        var kinds = string.IsNullOrWhiteSpace(kind) ? null
            : kind.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(k => k.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
        Sse.Start(context.Response);
        using var subscription = hub.Subscribe(after);
        // A comment first, so the page (and a proxy) sees the stream open before the first event.
        await Sse.CommentAsync(context.Response, "stream open", ct);
        try
        {
            foreach (var e in subscription.Backlog) await SendAsync(context.Response, access, e, ns, kinds, ct);
            while (await subscription.Reader.WaitToReadAsync(ct))
                while (subscription.Reader.TryRead(out var e)) await SendAsync(context.Response, access, e, ns, kinds, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The page went away.
        }
    }

    private static async Task SendAsync(HttpResponse response, StreamAccess access, LiveEvent e, string? ns, HashSet<string>? kinds, CancellationToken ct)
    {
        if (ns is not null && e.Namespace != ns) return;
        if (kinds is not null && !kinds.Contains(e.Plural)) return;
        if (!await access.MayListAsync(e.Group, e.Plural, e.Namespace, ct)) return;
        await Sse.EventAsync(response, e.Seq.ToString(CultureInfo.InvariantCulture), "cloudevent", JsonSerializer.Serialize(e, Json), ct);
    }
}
