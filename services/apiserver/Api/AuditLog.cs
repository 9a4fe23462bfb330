using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Platform.ApiServer.Auth;
using Platform.ApiServer.Resources;
using Platform.Contracts.Resources;

namespace Platform.ApiServer.Api;

/// <summary>
/// Kubernetes' audit log at level <c>Metadata</c>: one <c>audit.k8s.io/v1</c> Event per JSON line for every write
/// (create, update, patch, delete, deletecollection, and the streaming creates exec/attach/portforward) and every refused
/// request (401, 403), with who (user, groups, source IP, user agent), what (verb, the object's
/// resource/namespace/name/subresource), the verdict (<c>authorization.k8s.io/decision</c>), the annotations admission
/// added (Pod Security's <c>pod-security.kubernetes.io/*</c>) and the response code.
/// Never a request or response body, never a token. Written to <c>ApiServer:AuditLogPath</c> (default
/// <c>{StateDirectory}/audit.log</c>) by one background writer, so a request never waits for the disk; the file is
/// rotated to <c>.1</c> at <c>ApiServer:AuditLogMaxBytes</c>. When the queue is full, events are dropped and counted
/// in the next written event's annotations rather than blocking the API.
/// </summary>
internal sealed partial class AuditLog : BackgroundService
{
    private readonly Channel<JsonObject> _events = Channel.CreateBounded<JsonObject>(new BoundedChannelOptions(10_000)
    {
        FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true,
    });
    private readonly string _path;
    private readonly long _maxBytes;
    private readonly TimeProvider _time;
    private readonly ILogger<AuditLog> _logger;
    private long _dropped;

    public AuditLog(IOptions<ApiServerOptions> options, TimeProvider time, ILogger<AuditLog> logger)
    {
        var o = options.Value;
        _path = string.IsNullOrEmpty(o.AuditLogPath) ? Path.Combine(o.StateDirectory, "audit.log") : o.AuditLogPath;
        _maxBytes = o.AuditLogMaxBytes;
        _time = time;
        _logger = logger;
    }

    /// <summary>The middleware: records the request after the response when it is a write or was refused.</summary>
    public async Task InvokeAsync(HttpContext ctx, RequestDelegate next)
    {
        var received = _time.GetUtcNow();
        await next(ctx);
        var status = ctx.Response.StatusCode;
        var verb = VerbOf(ctx);
        var write = verb is not ("get" or "list" or "watch") && ctx.Request.Method != HttpMethods.Options;
        if (!write && status is not (401 or 403)) return;
        if (ctx.Request.Path.StartsWithSegments("/healthz") || ctx.Request.Path.StartsWithSegments("/readyz") || ctx.Request.Path.StartsWithSegments("/livez")) return;
        var caller = ctx.Items.ContainsKey(BearerTokenHandler.CallerItem) ? BearerTokenHandler.CallerOf(ctx) : null;
        var e = new JsonObject
        {
            ["kind"] = "Event",
            ["apiVersion"] = "audit.k8s.io/v1",
            ["level"] = "Metadata",
            ["auditID"] = ctx.TraceIdentifier.Length > 0 ? ctx.TraceIdentifier : Guid.NewGuid().ToString(),
            ["stage"] = "ResponseComplete",
            ["requestURI"] = Truncate(ctx.Request.Path + ctx.Request.QueryString, 2048),
            ["verb"] = verb,
            ["user"] = caller is null
                ? new JsonObject { ["username"] = "system:anonymous", ["groups"] = new JsonArray("system:unauthenticated") }
                : UserInfo(caller.Impersonator ?? caller),
            ["sourceIPs"] = new JsonArray(ctx.Connection.RemoteIpAddress?.ToString() ?? ""),
            ["userAgent"] = Truncate(ctx.Request.Headers.UserAgent.ToString(), 256),
            ["responseStatus"] = new JsonObject { ["metadata"] = new JsonObject(), ["code"] = status },
            ["requestReceivedTimestamp"] = Micro(received),
            ["stageTimestamp"] = Micro(_time.GetUtcNow()),
            ["annotations"] = new JsonObject { ["authorization.k8s.io/decision"] = status == 403 ? "forbid" : status == 401 ? "unauthenticated" : "allow" },
        };
        if (ctx.Items[WriteRequest.ItemKey] is WriteRequest { AuditAnnotations.Count: > 0 } request)
        {
            var annotations = e["annotations"]!.AsObject();
            foreach (var (key, value) in request.AuditAnnotations) annotations[key] = Truncate(value, 4096);
        }
        if (ObjectRef(ctx) is { } objectRef) e["objectRef"] = objectRef;
        if (caller?.Impersonator is not null) e["impersonatedUser"] = UserInfo(caller);
        if (!_events.Writer.TryWrite(e)) Interlocked.Increment(ref _dropped);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(_path))!);
        var line = new StringBuilder();
        try
        {
            while (await _events.Reader.WaitToReadAsync(stoppingToken))
                await DrainAsync(line);
        }
        catch (OperationCanceledException)
        {
        }
        await DrainAsync(line);
    }

    private async Task DrainAsync(StringBuilder line)
    {
        line.Clear();
        while (_events.Reader.TryRead(out var e))
        {
            var dropped = Interlocked.Exchange(ref _dropped, 0);
            if (dropped > 0) e["annotations"]!["audit.platform.io/dropped-before"] = dropped.ToString(CultureInfo.InvariantCulture);
            line.Append(e.ToJsonString()).Append('\n');
        }
        if (line.Length == 0) return;
        try
        {
            if (File.Exists(_path) && new FileInfo(_path).Length > _maxBytes) File.Move(_path, _path + ".1", overwrite: true);
            var options = new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write, Share = FileShare.Read };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            await using var file = new FileStream(_path, options);
            await file.WriteAsync(Encoding.UTF8.GetBytes(line.ToString()));
        }
        catch (IOException ex)
        {
            LogWriteFailed(_logger, _path, ex.Message);
        }
    }

    private static string VerbOf(HttpContext ctx)
    {
        var r = ctx.Request;
        var routes = r.RouteValues;
        var watch = r.Query["watch"].ToString() is "true" or "1";
        if (HttpMethods.IsGet(r.Method) || HttpMethods.IsHead(r.Method))
        {
            if (ctx.WebSockets.IsWebSocketRequest || r.Headers.Upgrade.Count > 0) return "create"; // exec/attach/portforward upgrade
            return routes.ContainsKey("name") || routes["subresource"] is not null ? "get" : watch ? "watch" : "list";
        }
        if (HttpMethods.IsPost(r.Method)) return "create";
        if (HttpMethods.IsPut(r.Method)) return "update";
        if (HttpMethods.IsPatch(r.Method)) return "patch";
        if (HttpMethods.IsDelete(r.Method)) return routes.ContainsKey("name") ? "delete" : "deletecollection";
        return r.Method.ToLowerInvariant();
    }

    private static JsonObject? ObjectRef(HttpContext ctx)
    {
        var v = ctx.Request.RouteValues;
        if (v["plural"] is not string plural)
        {
            // pods/log, pods/exec, pods/attach and pods/portforward have their own routes.
            var segments = ctx.Request.Path.Value?.Split('/') ?? [];
            if (v["namespace"] is not string podNs || v["name"] is not string pod || segments.Length < 2 || segments[^3] != "pods") return null;
            return new JsonObject { ["resource"] = "pods", ["namespace"] = podNs, ["name"] = Truncate(pod, 253), ["apiVersion"] = "v1", ["subresource"] = segments[^1] };
        }
        var o = new JsonObject { ["resource"] = plural };
        if (v["namespace"] is string ns) o["namespace"] = ns;
        if (v["name"] is string name) o["name"] = Truncate(name, 253);
        if (v["group"] is string group) o["apiGroup"] = group;
        if (v["version"] is string version) o["apiVersion"] = version;
        if (v["subresource"] is string sub) o["subresource"] = sub;
        return o;
    }

    private static string Micro(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..max];

    private static JsonObject UserInfo(Auth.Caller c) =>
        new() { ["username"] = c.User, ["groups"] = new JsonArray([.. c.Groups.Select(g => (JsonNode?)g)]) };

    [LoggerMessage(Level = LogLevel.Error, Message = "audit log {Path} could not be written: {Reason}")]
    private static partial void LogWriteFailed(ILogger logger, string path, string reason);
}
