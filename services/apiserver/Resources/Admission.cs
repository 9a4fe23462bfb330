using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Platform.ApiServer.Auth;
using Platform.ApiServer.Storage;
using Platform.ApiServer.Validation;
using Platform.Contracts.Resources;
using Platform.ApiServer.Problems;

namespace Platform.ApiServer.Resources;

/// <summary>
/// What every write goes through: the body must agree with the URL, is decoded, defaulted and validated, and
/// system metadata (uid, generation, timestamps) is owned by the server. Updates that change nothing are not
/// written, so they produce no new resourceVersion and no event.
/// </summary>
internal sealed class Admission(TimeProvider time)
{
    /// <summary>Checks <c>apiVersion</c>, <c>kind</c>, namespace and name against the URL and fills them in.</summary>
    public static JsonObject Prepare(ResourceKind kind, string? ns, string? name, JsonObject body, WriteRequest warnings)
    {
        if (body["kind"] is { } k && (k as JsonValue)?.ToString() != kind.Kind)
            throw ApiProblem.BadRequest("kind", $"'{k.ToJsonString()}' does not match the URL, which serves {kind.Kind}");
        if (body["apiVersion"] is { } v && (v as JsonValue)?.ToString() != kind.ApiVersion)
            throw ApiProblem.BadRequest("apiVersion", $"'{v.ToJsonString()}' does not match the URL, which serves {kind.ApiVersion}");
        body["kind"] = kind.Kind;
        body["apiVersion"] = kind.ApiVersion;
        if (body["metadata"] is null) body["metadata"] = new JsonObject();
        if (body["metadata"] is not JsonObject meta) throw ApiProblem.BadRequest("metadata", "wrong type, expected an object");
        if (kind.Namespaced)
        {
            if (meta["namespace"] is { } mns && (mns as JsonValue)?.ToString() != ns)
                throw ApiProblem.BadRequest("metadata.namespace", $"'{mns}' does not match the namespace in the URL ('{ns}')");
            meta["namespace"] = ns;
        }
        else if (meta["namespace"] is JsonValue cns && cns.ToString().Length > 0)
        {
            throw ApiProblem.BadRequest("metadata.namespace", $"{kind.Plural} are cluster-scoped and have no namespace");
        }
        else
        {
            meta.Remove("namespace");
        }
        if (name is not null)
        {
            if (meta["name"] is { } mn && (mn as JsonValue)?.ToString() != name)
                throw ApiProblem.BadRequest("metadata.name", $"'{mn}' does not match the name in the URL ('{name}')");
            meta["name"] = name;
        }
        ManifestCompat.Normalize(body, warnings);
        return body;
    }

    /// <summary>Decodes, defaults and validates a new object and sets its system metadata.</summary>
    public JsonObject AdmitCreate(ResourceKind kind, JsonObject body, WriteRequest warnings)
    {
        var r = ResourceCodec.Decode(kind, body);
        UnknownFields.Report(body, ResourceCodec.Encode(r), warnings);
        if (string.IsNullOrEmpty(r.Metadata.Name) && r.Metadata.GenerateName is { Length: > 0 and < 200 } prefix)
            r = r with { Metadata = r.Metadata with { Name = prefix + RandomSuffix() } };
        // Managed fields are the server's (server-side apply sets them after admission). The uid comes first: a Job's
        // generated selector names it.
        var uid = Guid.NewGuid().ToString();
        r = Defaulter.Apply(r with { Metadata = r.Metadata with { ManagedFields = null, Uid = uid } });
        r = r switch
        {
            Pod p when p.Status?.Phase is null => p with { Status = (p.Status ?? new PodStatus()) with { Phase = "Pending" } },
            Namespace n => n with { Status = new NamespaceStatus { Phase = "Active" } },
            Event e => e with { FirstTimestamp = e.FirstTimestamp ?? time.GetUtcNow(), LastTimestamp = e.LastTimestamp ?? time.GetUtcNow() },
            _ => r,
        };
        Validation.Validate.OrThrow(kind, r, null);
        r = r with
        {
            Metadata = r.Metadata with
            {
                Uid = uid,
                CreationTimestamp = time.GetUtcNow(),
                Generation = 1,
                DeletionTimestamp = null,
                ResourceVersion = null,
            },
        };
        return ResourceCodec.Encode(r);
    }

    /// <summary>
    /// Admits <paramref name="desired"/> as the next state of <paramref name="current"/>: precondition on
    /// <c>metadata.resourceVersion</c> (409 when stale), validation including immutable fields, generation bump when
    /// the spec changed. Returns null when nothing changed.
    /// </summary>
    public JsonObject? AdmitUpdate(ResourceKind kind, StoredObject current, JsonObject desired, WriteRequest? warnings = null)
    {
        var expected = (desired["metadata"]?["resourceVersion"] as JsonValue)?.ToString();
        if (!string.IsNullOrEmpty(expected) && expected != current.ResourceVersion.ToString(CultureInfo.InvariantCulture))
            // Kubernetes' wording, word for word: clients and scripts match on it.
            throw ApiProblem.Conflict($"Operation cannot be fulfilled on {kind.QualifiedPlural} \"{current.Name}\": " +
                "the object has been modified; please apply your changes to the latest version and try again");
        CarryAssignedFields(kind, current.Body, desired);
        var old = ResourceCodec.Decode(kind, current.CloneBody());
        var decoded = ResourceCodec.Decode(kind, desired);
        if (warnings is not null) UnknownFields.Report(desired, ResourceCodec.Encode(decoded), warnings);
        var r = Defaulter.Apply(decoded with { Metadata = decoded.Metadata with { Uid = decoded.Metadata.Uid ?? old.Metadata.Uid } });
        Validation.Validate.OrThrow(kind, r, old);
        var specChanged = SpecOf(ResourceCodec.Encode(r)) != SpecOf(current.Body);
        r = r with
        {
            Metadata = r.Metadata with
            {
                Uid = old.Metadata.Uid,
                CreationTimestamp = old.Metadata.CreationTimestamp,
                DeletionTimestamp = old.Metadata.DeletionTimestamp,
                Generation = (old.Metadata.Generation ?? 1) + (specChanged ? 1 : 0),
                ResourceVersion = old.Metadata.ResourceVersion,
            },
        };
        var next = ResourceCodec.Encode(r);
        return JsonNode.DeepEquals(next, current.Body) ? null : next;
    }

    /// <summary>
    /// Fields assigned after creation (a pod's node, a service's cluster IP and node ports) stay when a manifest that never
    /// had them is applied again, as kubectl apply's merge would leave them.
    /// </summary>
    private static void CarryAssignedFields(ResourceKind kind, JsonObject current, JsonObject desired)
    {
        if (kind == ResourceKinds.Service) { ServiceAllocation.ServiceUpdates.Carry(current, desired); return; }
        if (kind != ResourceKinds.Pod || current["spec"]?["nodeName"] is not JsonValue assigned || desired["spec"] is not JsonObject spec) return;
        if (spec["nodeName"] is null) spec["nodeName"] = assigned.DeepClone();
    }

    /// <summary>Copies the status of <paramref name="from"/> over <paramref name="to"/>: the main resource does not change status, the status subresource changes only status.</summary>
    public static void CopyStatus(JsonObject from, JsonObject to)
    {
        to.Remove("status");
        if (from["status"] is { } s) to["status"] = s.DeepClone();
    }

    public static bool HasFinalizers(JsonObject body) => body["metadata"]?["finalizers"] is JsonArray { Count: > 0 };

    private static string SpecOf(JsonObject body)
    {
        var spec = body["spec"] ?? body["data"] ?? body["involvedObject"];
        return spec?.ToJsonString() ?? "";
    }

    private static string RandomSuffix()
    {
        const string chars = "bcdfghjklmnpqrstvwxz2456789";
        return string.Create(5, 0, (span, _) =>
        {
            for (var i = 0; i < span.Length; i++) span[i] = chars[RandomNumberGenerator.GetInt32(chars.Length)];
        });
    }

    public static void CheckCaller(Caller caller, ResourceKind kind, JsonObject body) => Authorizer.CheckObject(caller, kind, body);
}
