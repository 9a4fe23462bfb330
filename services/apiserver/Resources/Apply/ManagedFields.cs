using System.Globalization;
using System.Text.Json.Nodes;
using Platform.ApiServer.Problems;
using Platform.ApiServer.Resources.Patching;

namespace Platform.ApiServer.Resources.Apply;

/// <summary>
/// Server-side apply (<c>application/apply-patch+yaml</c>) and the field ownership it rests on, kept in
/// <c>metadata.managedFields</c>. An apply states a manager's whole intent: its fields are merged into the object,
/// fields it applied before and no longer applies are removed unless another manager owns them, and a field another
/// manager owns with a different value is a 409 conflict unless <c>force=true</c> takes it over. A write of any other
/// kind (PUT, PATCH, scale) to an object that has managed fields gives the fields it changed to its manager
/// (operation <c>Update</c>), so a later apply conflicts with a <c>kubectl scale</c> as Kubernetes' does.
/// </summary>
internal static class ManagedFields
{
    public const string ApplyOperation = "Apply";
    public const string UpdateOperation = "Update";
    private const int MaxManagerLength = 128;

    private sealed record Entry(string Manager, string Operation, string? ApiVersion, JsonNode? Time, string? Subresource, FieldSet Fields)
    {
        public bool Is(string manager, string operation, string? subresource) =>
            Manager == manager && Operation == operation && Subresource == subresource;
    }

    /// <summary>The <c>fieldManager</c> of a request: 400 when longer than Kubernetes allows.</summary>
    public static string CheckManager(string manager) => manager.Length <= MaxManagerLength
        ? manager
        : throw ApiProblem.BadRequest("fieldManager", $"must be at most {MaxManagerLength} characters");

    /// <summary>An object created by apply: all its fields belong to <paramref name="manager"/>.</summary>
    public static void OnApplyCreate(JsonObject created, JsonObject applied, string manager, string apiVersion, DateTimeOffset now)
    {
        var fields = FieldPaths.SetOf(FieldPaths.Of(applied));
        Write(created, [new Entry(manager, ApplyOperation, apiVersion, Time(now), null, fields)]);
    }

    /// <summary>
    /// Applies <paramref name="applied"/> (a prepared manifest) by <paramref name="manager"/> to <paramref name="live"/>:
    /// returns the next object with its managed fields, or throws 409 listing each conflict.
    /// </summary>
    public static JsonObject Apply(JsonObject live, JsonObject applied, string manager, bool force, string apiVersion, DateTimeOffset now)
    {
        var entries = Read(live);
        var appliedFields = FieldPaths.Of(applied);
        var appliedSet = FieldPaths.SetOf(appliedFields);
        var byKey = appliedFields.ToDictionary(f => f.Key);

        var conflicts = new List<(Entry Entry, IReadOnlyList<string> Path)>();
        foreach (var entry in entries.Where(e => !e.Is(manager, ApplyOperation, null)))
        {
            foreach (var path in entry.Fields.Intersect(appliedSet).Paths())
            {
                var field = byKey[FieldPaths.Join(path)];
                if (field.IsItem) continue;
                if (!FieldPaths.TryResolve(live, path, out var current) || !JsonNode.DeepEquals(current, field.Value))
                    conflicts.Add((entry, path));
            }
        }
        if (conflicts.Count > 0 && !force) throw Conflict(conflicts);
        if (conflicts.Count > 0)
        {
            entries = entries.Select(e =>
            {
                var lost = FieldSet.FromPaths(conflicts.Where(c => c.Entry == e).Select(c => c.Path));
                return lost.IsEmpty ? e : e with { Fields = e.Fields.Except(lost) };
            }).ToList();
        }

        var previous = entries.FirstOrDefault(e => e.Is(manager, ApplyOperation, null));
        var others = entries.Where(e => e != previous).Aggregate(FieldSet.Empty, (set, e) => set.Union(e.Fields));
        var next = StrategicMergePatch.Apply((JsonObject)live.DeepClone(), (JsonObject)applied.DeepClone());
        if (previous is not null)
        {
            // Deepest first, so an item's own fields go before the item; an item that another manager still owns
            // something in stays, holding only that.
            var dropped = previous.Fields.Except(appliedSet).Except(others).Paths().OrderByDescending(p => p.Count);
            foreach (var path in dropped)
                if (!(IsItem(path) && others.HasNode(path))) FieldPaths.Remove(next, path);
        }

        var unchanged = previous is not null && SameFields(previous.Fields, appliedSet) && SameWithoutManagedFields(live, next);
        var mine = new Entry(manager, ApplyOperation, apiVersion, unchanged ? previous!.Time?.DeepClone() : Time(now), null, appliedSet);
        var kept = entries.Where(e => e != previous && !e.Fields.IsEmpty).ToList();
        kept.Insert(previous is null ? kept.Count : Math.Min(entries.IndexOf(previous), kept.Count), mine);
        Write(next, kept);
        return next;
    }

    /// <summary>
    /// After a write other than apply changed <paramref name="before"/> into <paramref name="after"/>: the changed
    /// fields move to <paramref name="manager"/>'s Update entry. Objects no apply has touched carry no managed fields
    /// and are left so (the cost of tracking is paid only by objects under server-side apply).
    /// </summary>
    public static void OnUpdate(JsonObject before, JsonObject after, string manager, string apiVersion, string? subresource, DateTimeOffset now)
    {
        var entries = Read(before);
        if (entries.Count == 0)
        {
            Write(after, []);
            return;
        }
        var old = FieldPaths.Of(before).ToDictionary(f => f.Key);
        var changed = new List<IReadOnlyList<string>>();
        var seen = new HashSet<string>();
        foreach (var field in FieldPaths.Of(after))
        {
            seen.Add(field.Key);
            if (!old.TryGetValue(field.Key, out var was) || (!field.IsItem && !JsonNode.DeepEquals(was.Value, field.Value))) changed.Add(field.Path);
        }
        var removed = FieldSet.FromPaths(old.Values.Where(f => !seen.Contains(f.Key)).Select(f => f.Path));
        var changedSet = FieldSet.FromPaths(changed);
        var taken = changedSet.Union(removed);
        var next = entries.Select(e => e with { Fields = e.Fields.Except(taken) }).ToList();
        var mine = next.FirstOrDefault(e => e.Is(manager, UpdateOperation, subresource));
        if (!changedSet.IsEmpty)
        {
            var updated = new Entry(manager, UpdateOperation, apiVersion, Time(now), subresource, (mine?.Fields ?? FieldSet.Empty).Union(changedSet));
            if (mine is null) next.Add(updated);
            else next[next.IndexOf(mine)] = updated;
        }
        Write(after, next.Where(e => !e.Fields.IsEmpty).ToList());
    }

    /// <summary>Managed fields are the server's: what a create or update sent is replaced by the stored value.</summary>
    public static void Carry(JsonObject from, JsonObject to)
    {
        if (to["metadata"] is not JsonObject meta) return;
        meta.Remove("managedFields");
        if (from["metadata"]?["managedFields"] is JsonArray stored) meta["managedFields"] = stored.DeepClone();
    }

    private static bool IsItem(IReadOnlyList<string> path) => path[^1][0] is 'k' or 'v';

    private static bool SameFields(FieldSet a, FieldSet b) => a.Except(b).IsEmpty && b.Except(a).IsEmpty;

    private static bool SameWithoutManagedFields(JsonObject a, JsonObject b)
    {
        var x = (JsonObject)a.DeepClone();
        var y = (JsonObject)b.DeepClone();
        (x["metadata"] as JsonObject)?.Remove("managedFields");
        (y["metadata"] as JsonObject)?.Remove("managedFields");
        return JsonNode.DeepEquals(x, y);
    }

    /// <summary>The entries stored on <paramref name="obj"/>; one that does not parse is dropped rather than failing every later write.</summary>
    private static List<Entry> Read(JsonObject obj)
    {
        var entries = new List<Entry>();
        if (obj["metadata"]?["managedFields"] is not JsonArray list) return entries;
        foreach (var item in list.OfType<JsonObject>())
        {
            if ((item["manager"] as JsonValue)?.ToString() is not { } manager || (item["operation"] as JsonValue)?.ToString() is not { } operation) continue;
            if (item["fieldsV1"] is not JsonObject fields) continue;
            FieldSet set;
            try { set = FieldSet.FromFieldsV1(fields); }
            catch (FormatException) { continue; }
            entries.Add(new Entry(manager, operation, (item["apiVersion"] as JsonValue)?.ToString(), item["time"]?.DeepClone(),
                (item["subresource"] as JsonValue)?.ToString(), set));
        }
        return entries;
    }

    private static void Write(JsonObject obj, List<Entry> entries)
    {
        if (obj["metadata"] is not JsonObject meta) return;
        meta.Remove("managedFields");
        if (entries.Count == 0) return;
        meta["managedFields"] = new JsonArray(entries.Select(e =>
        {
            var o = new JsonObject { ["manager"] = e.Manager, ["operation"] = e.Operation };
            if (e.ApiVersion is not null) o["apiVersion"] = e.ApiVersion;
            if (e.Time is not null) o["time"] = e.Time.DeepClone();
            o["fieldsType"] = "FieldsV1";
            o["fieldsV1"] = e.Fields.ToFieldsV1();
            if (e.Subresource is not null) o["subresource"] = e.Subresource;
            return (JsonNode)o;
        }).ToArray());
    }

    private static JsonNode Time(DateTimeOffset now) => now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static ApiProblem Conflict(List<(Entry Entry, IReadOnlyList<string> Path)> conflicts)
    {
        var causes = conflicts.Select(c => new FieldError(FieldPaths.Format(c.Path),
            $"conflict with \"{c.Entry.Manager}\"{(c.Entry.Operation == ApplyOperation ? "" : $" using {c.Entry.ApiVersion}")}", "FieldManagerConflict")).ToList();
        var summary = string.Join(", ", causes.Select(c => $"{c.Reason}: {c.Field}"));
        return new ApiProblem(409, "Conflict", $"Apply failed with {causes.Count} conflict{(causes.Count == 1 ? "" : "s")}: {summary}", causes);
    }
}
