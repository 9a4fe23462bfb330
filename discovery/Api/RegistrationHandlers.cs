using Microsoft.Extensions.Options;
using Platform.Discovery.Api.Codecs;
using Platform.Discovery.Configuration;
using Platform.Discovery.Registry;

namespace Platform.Discovery.Api;

/// <summary>The mutating half of the Eureka API: register, heartbeat, cancel, status overrides, metadata.</summary>
internal static class RegistrationHandlers
{
    public static async Task<IResult> Register(string app, HttpContext context, InstanceRegistry registry,
        IOptions<EurekaServerOptions> options, CancellationToken ct)
    {
        var appName = RouteValues.App(app);
        var (body, error) = await RequestBody.ReadAsync(context.Request, options.Value.MaxBodyBytes, options.Value.MaxBodyDepth, ct);
        if (error is not null) return error;
        var parsed = InstanceReader.Read(body!["instance"], "instance", appName, registry.NowMs);
        if (!parsed.Ok) return Problems.BadRequest(parsed.Field!, parsed.Error!);
        registry.Register(parsed.Value!, RouteValues.IsReplication(context.Request));
        return TypedResults.NoContent();
    }

    public static IResult Heartbeat(string app, string id, HttpContext context, InstanceRegistry registry,
        string? status, string? lastDirtyTimestamp, string? overriddenstatus)
    {
        InstanceStatus? reported = null;
        if (status is not null)
        {
            if (!EurekaNames.TryParseStatus(status, out var s)) return Problems.BadRequest("status", $"'{status}' is not a status");
            reported = s;
        }
        InstanceStatus? overridden = null;
        if (overriddenstatus is not null)
        {
            if (!EurekaNames.TryParseStatus(overriddenstatus, out var s)) return Problems.BadRequest("overriddenstatus", $"'{overriddenstatus}' is not a status");
            overridden = s;
        }
        if (!RouteValues.TryLong(lastDirtyTimestamp, out var dirty)) return Problems.BadRequest("lastDirtyTimestamp", "must be Unix milliseconds");
        var isReplication = RouteValues.IsReplication(context.Request);
        var (outcome, current) = registry.Renew(RouteValues.App(app), RouteValues.Id(id), reported, dirty, overridden, isReplication);
        return outcome switch
        {
            RenewOutcome.Ok => TypedResults.Ok(),
            RenewOutcome.Conflict => Conflict(context, current!),
            _ => Problems.NotFound($"instance '{RouteValues.Id(id)}' of '{RouteValues.App(app)}' is not registered"),
        };
    }

    public static IResult Cancel(string app, string id, HttpContext context, InstanceRegistry registry) =>
        registry.Cancel(RouteValues.App(app), RouteValues.Id(id), RouteValues.IsReplication(context.Request))
            ? TypedResults.Ok()
            : Problems.NotFound($"instance '{RouteValues.Id(id)}' of '{RouteValues.App(app)}' is not registered");

    public static IResult SetStatus(string app, string id, HttpContext context, InstanceRegistry registry, string? value, string? lastDirtyTimestamp)
    {
        if (!EurekaNames.TryParseStatus(value, out var status)) return Problems.BadRequest("value", $"'{value}' is not one of UP, DOWN, STARTING, OUT_OF_SERVICE, UNKNOWN");
        if (!RouteValues.TryLong(lastDirtyTimestamp, out var dirty)) return Problems.BadRequest("lastDirtyTimestamp", "must be Unix milliseconds");
        var outcome = registry.SetStatusOverride(RouteValues.App(app), RouteValues.Id(id), status, dirty, RouteValues.IsReplication(context.Request));
        return outcome == RenewOutcome.Ok ? TypedResults.Ok() : Problems.NotFound($"instance '{RouteValues.Id(id)}' is not registered");
    }

    public static IResult DeleteStatus(string app, string id, HttpContext context, InstanceRegistry registry, string? value, string? lastDirtyTimestamp)
    {
        var status = InstanceStatus.Unknown;
        if (value is not null && !EurekaNames.TryParseStatus(value, out status)) return Problems.BadRequest("value", $"'{value}' is not a status");
        if (!RouteValues.TryLong(lastDirtyTimestamp, out var dirty)) return Problems.BadRequest("lastDirtyTimestamp", "must be Unix milliseconds");
        var outcome = registry.DeleteStatusOverride(RouteValues.App(app), RouteValues.Id(id), status, dirty, RouteValues.IsReplication(context.Request));
        return outcome == RenewOutcome.Ok ? TypedResults.Ok() : Problems.NotFound($"instance '{RouteValues.Id(id)}' is not registered");
    }

    public static IResult UpdateMetadata(string app, string id, HttpContext context, InstanceRegistry registry)
    {
        var entries = context.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);
        if (entries.Count == 0) return Problems.BadRequest("query", "at least one key=value pair required");
        return registry.UpdateMetadata(RouteValues.App(app), RouteValues.Id(id), entries)
            ? TypedResults.Ok()
            : Problems.NotFound($"instance '{RouteValues.Id(id)}' is not registered");
    }

    private static IResult Conflict(HttpContext context, InstanceView current)
    {
        var xml = !EurekaRendering.WantsJson(context.Request);
        var body = EurekaRendering.Render(xml, false, w => EurekaJsonWriter.WriteInstance(w, current), w => EurekaXmlWriter.WriteInstance(w, current));
        return TypedResults.Content(System.Text.Encoding.UTF8.GetString(body), xml ? "application/xml" : "application/json",
            System.Text.Encoding.UTF8, StatusCodes.Status409Conflict);
    }
}
