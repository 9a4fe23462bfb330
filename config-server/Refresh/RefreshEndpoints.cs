using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Platform.ConfigServer.Environment;
using Platform.ConfigServer.Limits;
using Platform.ConfigServer.Security;

namespace Platform.ConfigServer.Refresh;

/// <summary>
/// <c>POST /actuator/busrefresh[/{destination}]</c> (Spring Cloud Bus) and <c>POST /monitor</c> (the webhook
/// of spring-cloud-config-monitor: GitHub/GitLab/Gitea push payloads or a form <c>path=...</c>).
/// </summary>
internal static partial class RefreshEndpoints
{
    public static IEndpointRouteBuilder MapRefreshApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("").RequireAuthorization(Policies.Admin).WithTags("refresh");
        group.MapPost("/actuator/busrefresh", (BusRefreshPublisher bus, IEnumerable<IRefreshableRepository> repos, CancellationToken ct) =>
            BusRefresh(null, bus, repos, ct));
        group.MapPost("/actuator/busrefresh/{destination}", BusRefresh);
        group.MapPost("/monitor", Monitor);
        return routes;
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> BusRefresh(
        string? destination, BusRefreshPublisher bus, IEnumerable<IRefreshableRepository> repos, CancellationToken ct)
    {
        if (!bus.Enabled) return BusDisabled();
        if (destination is not null && !DestinationPattern().IsMatch(destination))
            return TypedResults.Problem(statusCode: 400, title: "Bad Request",
                detail: $"destination: '{destination}' must be an application name or pattern like 'customers:**' (letters, digits, '-', '_', '.', ':', '*')");
        try
        {
            foreach (var repo in repos) await repo.RefreshAsync(ct);
            await bus.PublishAsync(BusRefreshPublisher.NormalizeDestination(destination), ct);
        }
        catch (Exception ex) when (Unavailable(ex) is { } problem)
        {
            return problem;
        }
        return TypedResults.NoContent();
    }

    internal static async Task<Results<Ok<IReadOnlyList<string>>, ProblemHttpResult>> Monitor(
        HttpRequest request, BusRefreshPublisher bus, IEnumerable<IRefreshableRepository> repos, IOptions<DocumentLimitsOptions> limits,
        CancellationToken ct)
    {
        if (!bus.Enabled) return BusDisabled();
        var max = limits.Value.MaxDocumentBytes;
        if (request.ContentLength > max) return TooLarge(max);
        // Also bounds a chunked body, which has no Content-Length to check up front.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size) size.MaxRequestBodySize = max;
        List<string> paths;
        try
        {
            paths = await ReadChangedPathsAsync(request, limits.Value.MaxDepth, ct);
        }
        catch (JsonException ex)
        {
            return TypedResults.Problem(statusCode: 400, title: "Bad Request", detail: $"body: not a push payload ({ex.Message})");
        }
        catch (InvalidDataException ex)
        {
            return TypedResults.Problem(statusCode: 400, title: "Bad Request", detail: $"body: not a form ({ex.Message})");
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge(max);
        }
        if (paths.Count == 0)
            return TypedResults.Problem(statusCode: 400, title: "Bad Request",
                detail: "body: no changed files found (expected commits[].added/modified/removed or form field 'path')");
        var services = ServicesFor(paths);
        if (services.FirstOrDefault(s => s != "*" && !DestinationPattern().IsMatch(s)) is { } odd)
            return TypedResults.Problem(statusCode: 400, title: "Bad Request",
                detail: $"body: a changed file names '{odd}', which is not an application name (letters, digits, '-', '_', '.')");
        try
        {
            foreach (var repo in repos) await repo.RefreshAsync(ct);
            foreach (var service in services) await bus.PublishAsync(service == "*" ? "**" : service + ":**", ct);
        }
        catch (Exception ex) when (Unavailable(ex) is { } problem)
        {
            return problem;
        }
        return TypedResults.Ok<IReadOnlyList<string>>(services);
    }

    /// <summary>
    /// Spring's guess from a file name: <c>application*.yml</c> concerns everyone (<c>*</c>);
    /// <c>foo-dev.yml</c> concerns <c>foo-dev</c> and <c>foo</c>.
    /// </summary>
    internal static List<string> ServicesFor(IEnumerable<string> paths)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            var stem = Path.GetFileNameWithoutExtension(path);
            if (stem.Length == 0) continue;
            if (stem == "application" || stem.StartsWith("application-", StringComparison.Ordinal)) { names.Add("*"); continue; }
            names.Add(stem);
            for (var dash = stem.IndexOf('-', StringComparison.Ordinal); dash > 0; dash = stem.IndexOf('-', dash + 1))
                names.Add(stem[..dash]);
        }
        return names.Contains("*") ? ["*"] : [.. names];
    }

    private static ProblemHttpResult TooLarge(int max) =>
        TypedResults.Problem(statusCode: 413, title: "Payload Too Large", detail: $"body: larger than {max} bytes ({DocumentLimitsOptions.Key(nameof(DocumentLimitsOptions.MaxDocumentBytes))})",
            extensions: new Dictionary<string, object?> { ["limit"] = DocumentLimitsOptions.Key(nameof(DocumentLimitsOptions.MaxDocumentBytes)) });

    private static async Task<List<string>> ReadChangedPathsAsync(HttpRequest request, int maxDepth, CancellationToken ct)
    {
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(ct);
            return [.. form["path"].Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => p!)];
        }
        using var doc = await JsonDocument.ParseAsync(request.Body, new JsonDocumentOptions { MaxDepth = maxDepth }, ct);
        var paths = new List<string>();
        if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("commits", out var commits) &&
            commits.ValueKind == JsonValueKind.Array)
        {
            foreach (var commit in commits.EnumerateArray().Where(c => c.ValueKind == JsonValueKind.Object))
            {
                foreach (var kind in (string[])["added", "modified", "removed"])
                {
                    if (!commit.TryGetProperty(kind, out var files) || files.ValueKind != JsonValueKind.Array) continue;
                    paths.AddRange(files.EnumerateArray().Where(f => f.ValueKind == JsonValueKind.String).Select(FileName));
                }
            }
        }
        return paths;
    }

    /// <summary>The reader checks UTF-8 inside a string only when it is read: invalid bytes are a malformed payload.</summary>
    private static string FileName(JsonElement file)
    {
        try
        {
            return file.GetString()!;
        }
        catch (InvalidOperationException ex)
        {
            throw new JsonException($"a changed file name is not valid UTF-8: {ex.Message}", ex);
        }
    }

    /// <summary>A backend that cannot be fetched or a broker that does not acknowledge: the refresh did not happen.</summary>
    private static ProblemHttpResult? Unavailable(Exception ex) => ex switch
    {
        BackendUnavailableException b => TypedResults.Problem(statusCode: 503, title: "Backend Unavailable", detail: b.Message),
        Confluent.Kafka.KafkaException k => TypedResults.Problem(statusCode: 503, title: "Bus Unavailable",
            detail: $"ConfigServer:Bus:Topic: publishing the refresh failed ({k.Error.Reason})"),
        _ => null,
    };

    private static ProblemHttpResult BusDisabled() =>
        TypedResults.Problem(statusCode: 503, title: "Bus Disabled", detail: "ConfigServer:Bus:Enabled: the refresh bus is switched off");

    [GeneratedRegex(@"^[A-Za-z0-9_.\-:*]+$")]
    private static partial Regex DestinationPattern();
}
