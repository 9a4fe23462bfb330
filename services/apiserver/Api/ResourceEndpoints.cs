using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Platform.ApiServer.Auth;
using Platform.ApiServer.Disruption;
using Platform.ApiServer.Resources;
using Platform.ApiServer.Resources.Apply;
using Platform.ApiServer.Resources.Patching;
using Platform.ApiServer.Storage;
using Platform.ApiServer.Watch;
using Platform.Contracts.Resources;
using Role = Platform.ApiServer.Auth.Role;
using Platform.ApiServer.Problems;

namespace Platform.ApiServer.Api;

/// <summary>
/// The Kubernetes URL shapes: <c>/api/v1/...</c> for the core group and <c>/apis/{group}/{version}/...</c> for the
/// others, cluster-scoped (<c>/{plural}/{name}</c>) and namespaced (<c>/namespaces/{ns}/{plural}/{name}</c>), each with
/// an optional <c>/{subresource}</c>.
/// </summary>
internal static class ResourceEndpoints
{
    public static IEndpointRouteBuilder MapResourceApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("").RequireAuthorization().AddEndpointFilter<ApiProblemFilter>();
        foreach (var prefix in new[] { "/api/{version}", "/apis/{group}/{version}" })
        {
            var g = api.MapGroup(prefix);
            foreach (var scope in new[] { "", "/namespaces/{namespace}" })
            {
                g.MapGet(scope + "/{plural}", List);
                g.MapPost(scope + "/{plural}", Create);
                g.MapDelete(scope + "/{plural}", DeleteCollection);
                g.MapGet(scope + "/{plural}/{name}", Get);
                g.MapPut(scope + "/{plural}/{name}", Replace);
                g.MapPatch(scope + "/{plural}/{name}", Patch);
                g.MapDelete(scope + "/{plural}/{name}", Delete);
                g.MapGet(scope + "/{plural}/{name}/{subresource}", Get);
                g.MapPut(scope + "/{plural}/{name}/{subresource}", Replace);
                g.MapPatch(scope + "/{plural}/{name}/{subresource}", Patch);
                g.MapPost(scope + "/{plural}/{name}/{subresource}", CreateSubresource);
            }
        }
        return app;
    }

    public static async Task<IResult> List(HttpContext ctx, ResourceService resources, WatchStreamer watches, Authorizer auth, CancellationToken ct)
    {
        var t = Target.From(ctx);
        if (t.Subresource is not null) return await Get(ctx, resources, auth, ct);
        var caller = BearerTokenHandler.CallerOf(ctx);
        var q = ctx.Request.Query;
        var watch = q["watch"].ToString() is "true" or "1";
        var metadataOnly = watch ? PartialMetadata.ObjectRequested(ctx.Request) : PartialMetadata.ListRequested(ctx.Request);
        auth.Check(caller, watch ? Verb.Watch : Verb.List, t.Kind, t.Namespace, null, metadataOnly: metadataOnly);
        if (!Selector.TryParse(q["labelSelector"].ToString(), out var labels, out var labelError))
            throw ApiProblem.BadRequest("labelSelector", labelError!);
        FieldSelector fields;
        try { fields = FieldSelector.Parse(q["fieldSelector"].ToString()); }
        catch (FormatException ex) { throw ApiProblem.BadRequest("fieldSelector", ex.Message); }
        if (caller.Role == Role.Node && t.Kind == ResourceKinds.Pod && fields.EqualityValue("spec.nodeName") != caller.NodeName)
            throw ApiProblem.Forbidden($"node token \"{caller.Name}\" may only list pods with fieldSelector=spec.nodeName={caller.NodeName}");
        if (watch)
        {
            var timeout = int.TryParse(q["timeoutSeconds"], NumberStyles.None, CultureInfo.InvariantCulture, out var s) && s > 0 ? TimeSpan.FromSeconds(Math.Min(s, 3600)) : TimeSpan.FromMinutes(30);
            var render = TableOutput.Requested(ctx.Request) ? TableRows(ctx, t.Kind) : metadataOnly ? PartialMetadata.Of : null;
            var bookmarks = q["allowWatchBookmarks"].ToString() is "true" or "1";
            await watches.StreamAsync(ctx, t.Kind, t.Namespace, labels, fields, q["resourceVersion"].ToString(), timeout, render, bookmarks, ct);
            return TypedResults.Empty;
        }
        var (items, rv) = await resources.ListAsync(t.Kind, t.Namespace, labels, fields, ct);
        if (TableOutput.Requested(ctx.Request))
            return Table(ctx, t.Kind, items.Select(i => i.Json), rv.ToString(CultureInfo.InvariantCulture));
        if (metadataOnly) return Json(PartialMetadata.ListOf([.. items.Select(i => i.Json)], rv), 200);
        var json = new StringBuilder(items.Sum(i => i.Json.Length) + 128);
        json.Append(CultureInfo.InvariantCulture, $"{{\"apiVersion\":\"{t.Kind.ApiVersion}\",\"kind\":\"{t.Kind.ListKind}\",\"metadata\":{{\"resourceVersion\":\"{rv}\"}},\"items\":[");
        for (var i = 0; i < items.Count; i++)
        {
            if (i > 0) json.Append(',');
            json.Append(items[i].Json);
        }
        json.Append("]}");
        return TypedResults.Content(json.ToString(), "application/json");
    }

    public static async Task<IResult> Create(HttpContext ctx, ResourceService resources, BodyReader reader, Authorizer auth, CancellationToken ct)
    {
        var t = Target.From(ctx);
        if (t.Kind.Namespaced && t.Namespace is null)
            throw ApiProblem.MethodNotAllowed($"{t.Kind.Plural} are namespaced: POST to {t.Kind.ApiPrefix}/namespaces/{{namespace}}/{t.Kind.Plural}");
        var caller = BearerTokenHandler.CallerOf(ctx);
        auth.Check(caller, Verb.Create, t.Kind, t.Namespace, null);
        var body = await reader.ReadObjectAsync(ctx.Request, ct);
        var warnings = RequestOf(ctx, t, patch: false);
        var created = await resources.CreateAsync(caller, t.Kind, t.Namespace, body, warnings, DryRun(ctx), ct);
        AddWarnings(ctx, warnings);
        return Json(created.Json, StatusCodes.Status201Created);
    }

    public static async Task<IResult> Get(HttpContext ctx, ResourceService resources, Authorizer auth, CancellationToken ct)
    {
        var t = Target.From(ctx);
        var caller = BearerTokenHandler.CallerOf(ctx);
        var metadataOnly = t.Subresource is null && PartialMetadata.ObjectRequested(ctx.Request);
        auth.Check(caller, Verb.Get, t.Kind, t.Namespace, t.Subresource, t.Name, metadataOnly);
        if (t.Subresource is "binding" or "token") throw ApiProblem.MethodNotAllowed($"{t.Kind.Plural}/{t.Subresource} only accepts POST");
        var obj = await resources.GetAsync(caller, t.Kind, t.Namespace, t.Name!, ct);
        if (t.Subresource is null && TableOutput.Requested(ctx.Request)) return Table(ctx, t.Kind, [obj.Json], null);
        if (metadataOnly) return Json(PartialMetadata.Of(obj.Json), 200);
        return t.Subresource == "scale" ? Json(SubresourceService.ToScale(t.Kind, obj).ToJsonString(), 200) : Json(obj.Json, 200);
    }

    public static async Task<IResult> Replace(HttpContext ctx, ResourceService resources, SubresourceService subresources, BodyReader reader, Authorizer auth, CancellationToken ct)
    {
        var t = Target.From(ctx);
        var caller = BearerTokenHandler.CallerOf(ctx);
        auth.Check(caller, Verb.Update, t.Kind, t.Namespace, t.Subresource, t.Name);
        var body = await reader.ReadObjectAsync(ctx.Request, ct);
        var warnings = RequestOf(ctx, t, patch: false);
        var (obj, changed) = t.Subresource switch
        {
            "scale" => await subresources.ScaleAsync(caller, t.Kind, t.Namespace!, t.Name!, new PatchDocument.Replace(body), warnings, DryRun(ctx), ct),
            "binding" or "token" => throw ApiProblem.MethodNotAllowed($"{t.Kind.Plural}/{t.Subresource} only accepts POST"),
            _ => await resources.ReplaceAsync(caller, t.Kind, t.Namespace, t.Name!, t.Subresource, body, warnings, DryRun(ctx), ct),
        };
        AddWarnings(ctx, warnings);
        ctx.Response.Headers["X-Platform-Changed"] = changed ? "true" : "false";
        return t.Subresource == "scale" ? Json(SubresourceService.ToScale(t.Kind, obj).ToJsonString(), 200) : Json(obj.Json, 200);
    }

    public static async Task<IResult> Patch(HttpContext ctx, ResourceService resources, SubresourceService subresources, BodyReader reader, Authorizer auth, CancellationToken ct)
    {
        var t = Target.From(ctx);
        var caller = BearerTokenHandler.CallerOf(ctx);
        auth.Check(caller, Verb.Patch, t.Kind, t.Namespace, t.Subresource, t.Name);
        var patch = await reader.ReadPatchAsync(ctx.Request, ct);
        var warnings = RequestOf(ctx, t, patch: true);
        if (patch is PatchDocument.Apply apply)
        {
            if (t.Subresource is not null)
                throw new ApiProblem(415, "UnsupportedMediaType", $"server-side apply of {t.Kind.Plural}/{t.Subresource} is not served; apply the {t.Kind.Kind} itself");
            if (ctx.Request.Query["fieldManager"].FirstOrDefault() is not { Length: > 0 })
                throw ApiProblem.Invalid("PatchOptions", "", [new FieldError("fieldManager", "Required value: is required for apply patch")]);
            var (applied, appliedChanged, created) = await resources.ApplyAsync(caller, t.Kind, t.Namespace, t.Name!, apply.Body, warnings, DryRun(ctx), ct);
            AddWarnings(ctx, warnings);
            ctx.Response.Headers["X-Platform-Changed"] = appliedChanged ? "true" : "false";
            return Json(applied.Json, created ? StatusCodes.Status201Created : 200);
        }
        var (obj, changed) = t.Subresource switch
        {
            "scale" => await subresources.ScaleAsync(caller, t.Kind, t.Namespace!, t.Name!, patch, warnings, DryRun(ctx), ct),
            "binding" or "token" => throw ApiProblem.MethodNotAllowed($"{t.Kind.Plural}/{t.Subresource} only accepts POST"),
            _ => await resources.PatchAsync(caller, t.Kind, t.Namespace, t.Name!, t.Subresource, patch, warnings, DryRun(ctx), ct),
        };
        AddWarnings(ctx, warnings);
        ctx.Response.Headers["X-Platform-Changed"] = changed ? "true" : "false";
        return t.Subresource == "scale" ? Json(SubresourceService.ToScale(t.Kind, obj).ToJsonString(), 200) : Json(obj.Json, 200);
    }

    public static async Task<IResult> Delete(HttpContext ctx, DeletionService deletions, BodyReader reader, Authorizer auth, CancellationToken ct)
    {
        var t = Target.From(ctx);
        var caller = BearerTokenHandler.CallerOf(ctx);
        auth.Check(caller, Verb.Delete, t.Kind, t.Namespace, null, t.Name);
        var policy = ctx.Request.Query["propagationPolicy"].FirstOrDefault();
        var dryRun = DryRun(ctx);
        // kubectl sends DeleteOptions in the body: propagationPolicy and dryRun (["All"]).
        if (ctx.Request.ContentLength > 0 || ctx.Request.Headers.TransferEncoding.Count > 0)
        {
            var options = await reader.ReadObjectAsync(ctx.Request, ct);
            policy ??= (string?)(options["propagationPolicy"] as JsonValue);
            if (options["dryRun"] is JsonArray dry && dry.Count > 0)
                dryRun = dry.All(v => (v as JsonValue)?.ToString() == "All")
                    ? true : throw ApiProblem.BadRequest("dryRun", "the only value is All");
        }
        var deleted = await deletions.DeleteAsync(caller, t.Kind, t.Namespace, t.Name!, policy, dryRun, ct);
        return Json(deleted.Json, 200);
    }

    /// <summary>
    /// <c>DELETE</c> on a collection (Kubernetes' deletecollection): every object matching <c>labelSelector</c> and
    /// <c>fieldSelector</c> is deleted as a DELETE of each would (finalizers, propagation), one at a time; one deleted
    /// meanwhile is skipped. Answers the list of what was deleted.
    /// </summary>
    public static async Task<IResult> DeleteCollection(HttpContext ctx, ResourceService resources, DeletionService deletions, Authorizer auth, CancellationToken ct)
    {
        var t = Target.From(ctx);
        var caller = BearerTokenHandler.CallerOf(ctx);
        auth.Check(caller, Verb.DeleteCollection, t.Kind, t.Namespace, null);
        var q = ctx.Request.Query;
        if (!Selector.TryParse(q["labelSelector"].ToString(), out var labels, out var labelError))
            throw ApiProblem.BadRequest("labelSelector", labelError!);
        FieldSelector fields;
        try { fields = FieldSelector.Parse(q["fieldSelector"].ToString()); }
        catch (FormatException ex) { throw ApiProblem.BadRequest("fieldSelector", ex.Message); }
        var dryRun = DryRun(ctx);
        var (items, _) = await resources.ListAsync(t.Kind, t.Namespace, labels, fields, ct);
        var deleted = new JsonArray();
        foreach (var item in items)
        {
            try
            {
                var gone = await deletions.DeleteAsync(caller, t.Kind, item.Namespace.Length == 0 ? null : item.Namespace, item.Name, q["propagationPolicy"].FirstOrDefault(), dryRun, ct);
                deleted.Add(JsonNode.Parse(gone.Json));
            }
            catch (ApiProblem p) when (p.Status == 404)
            {
            }
        }
        var list = new JsonObject { ["apiVersion"] = t.Kind.ApiVersion, ["kind"] = t.Kind.ListKind, ["metadata"] = new JsonObject(), ["items"] = deleted };
        return Json(list.ToJsonString(), 200);
    }

    public static async Task<IResult> CreateSubresource(HttpContext ctx, SubresourceService subresources, TokenRequests tokenRequests, EvictionService evictions,
        BodyReader reader, Authorizer auth, CancellationToken ct)
    {
        var t = Target.From(ctx);
        if (t.Subresource is not ("binding" or "token" or "eviction")) throw ApiProblem.MethodNotAllowed($"{t.Kind.Plural}/{t.Subresource} does not accept POST (use PUT or PATCH)");
        var caller = BearerTokenHandler.CallerOf(ctx);
        auth.Check(caller, Verb.Create, t.Kind, t.Namespace, t.Subresource, t.Name);
        var body = await reader.ReadObjectAsync(ctx.Request, ct);
        if (t.Subresource == "token")
        {
            if (DryRun(ctx)) throw ApiProblem.BadRequest("dryRun", "is not supported for serviceaccounts/token");
            return Json((await tokenRequests.CreateAsync(caller, t.Namespace!, t.Name!, body, ct)).ToJsonString(), StatusCodes.Status201Created);
        }
        if (t.Subresource == "eviction")
        {
            await evictions.EvictAsync(caller, t.Namespace!, t.Name!, body, DryRun(ctx), ct);
            var success = new JsonObject { ["kind"] = "Status", ["apiVersion"] = "v1", ["metadata"] = new JsonObject(), ["status"] = "Success", ["code"] = 201 };
            return Json(success.ToJsonString(), StatusCodes.Status201Created);
        }
        if (DryRun(ctx)) throw ApiProblem.BadRequest("dryRun", "is not supported for pods/binding");
        var bound = await subresources.BindPodAsync(caller, t.Namespace!, t.Name!, body, ct);
        return Json(bound.Json, StatusCodes.Status201Created);
    }

    /// <summary><c>?dryRun=All</c> (what <c>kubectl --dry-run=server</c> sends): admit and validate, store nothing.</summary>
    private static bool DryRun(HttpContext ctx)
    {
        var values = ctx.Request.Query["dryRun"];
        if (values.Count == 0) return false;
        if (values.All(v => v == "All")) return true;
        throw ApiProblem.BadRequest("dryRun", $"'{string.Join(",", values.ToArray())}' is not supported; the only value is All");
    }

    private static ContentHttpResult Table(HttpContext ctx, ResourceKind kind, IEnumerable<string> objects, string? resourceVersion)
    {
        var include = IncludeObject(ctx);
        var now = ctx.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        var table = TableOutput.Build(kind, objects.Select(j => (JsonObject)JsonNode.Parse(j)!), resourceVersion, include, now);
        return Json(table.ToJsonString(), 200);
    }

    /// <summary>Watch events as one-row Tables, as Kubernetes sends them: only the first carries the column definitions.</summary>
    private static Func<string, string> TableRows(HttpContext ctx, ResourceKind kind)
    {
        var include = IncludeObject(ctx);
        var time = ctx.RequestServices.GetRequiredService<TimeProvider>();
        var first = true;
        return json =>
        {
            var obj = (JsonObject)JsonNode.Parse(json)!;
            var table = TableOutput.Build(kind, [obj], (string?)obj["metadata"]?["resourceVersion"], include, time.GetUtcNow());
            if (!first) table.Remove("columnDefinitions");
            first = false;
            return table.ToJsonString();
        };
    }

    private static string IncludeObject(HttpContext ctx)
    {
        var include = ctx.Request.Query["includeObject"].ToString();
        return include is "" or "None" or "Object" or "PartialObjectMetadata"
            ? include
            : throw ApiProblem.BadRequest("includeObject", $"'{include}' is not one of None, Object, PartialObjectMetadata");
    }

    private static ContentHttpResult Json(string json, int status) => TypedResults.Content(json, "application/json", Encoding.UTF8, status);

    private static WriteRequest RequestOf(HttpContext ctx, Target t, bool patch)
    {
        var q = ctx.Request.Query;
        var manager = q["fieldManager"].FirstOrDefault() is { Length: > 0 } m ? m
            : ctx.Request.Headers.UserAgent.ToString().Split('/')[0].Trim() is { Length: > 0 } agent ? agent[..Math.Min(agent.Length, 128)] : "unknown";
        var force = q["force"].FirstOrDefault() switch
        {
            null or "" or "false" => false,
            "true" => true,
            var f => throw ApiProblem.BadRequest("force", $"'{f}' is not true or false"),
        };
        var request = new WriteRequest(WriteRequest.ParseDirective(q["fieldValidation"].FirstOrDefault()), t.Kind, patch, t.Name,
            ManagedFields.CheckManager(manager), force, t.Subresource);
        ctx.Items[WriteRequest.ItemKey] = request; // the audit log reads its annotations, refused or not
        return request;
    }

    private static void AddWarnings(HttpContext ctx, WriteRequest warnings)
    {
        // RFC 9111 warn-text is a quoted-string: escape backslashes and quotes.
        // Header values are printable ASCII: other characters (from hostile field names) become '?'.
        foreach (var w in warnings.Messages.Select(w => new string(w.Select(c => c is >= ' ' and <= '~' ? c : '?').ToArray())))
            ctx.Response.Headers.Append("Warning", $"299 - \"{w.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\"");
    }
}
