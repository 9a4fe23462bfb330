using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Platform.Contracts.Resources;

namespace Platform.ApiServer.OpenApi;

/// <summary>
/// The OpenAPI v3 documents as kube-apiserver serves them: <c>/openapi/v3</c> lists one document per group-version
/// (<c>api/v1</c>, <c>apis/apps/v1</c> ...) with a content hash, and each document holds the paths of that
/// group-version's kinds and the schemas they use. kubectl reads them for <c>explain</c>, to compute
/// <c>apply</c>'s strategic merge patch, and to learn that the server validates fields itself
/// (<c>fieldValidation</c> on every PATCH), so that <c>--validate=strict</c> needs no client-side schema.
/// Built once: the served kinds do not change while the process runs.
/// </summary>
internal sealed class OpenApiDocuments
{
    private static readonly string[] PatchTypes =
        ["application/json-patch+json", "application/merge-patch+json", "application/strategic-merge-patch+json", "application/apply-patch+yaml"];

    private readonly Dictionary<string, Document> _documents;

    public OpenApiDocuments()
    {
        var docs = XmlDocs.For(typeof(Resource).Assembly);
        _documents = ResourceKinds.All
            .GroupBy(k => k.Group.Length == 0 ? $"api/{k.Version}" : $"apis/{k.Group}/{k.Version}")
            .ToDictionary(g => g.Key, g => Document.Of(Build(g.Key, g.ToList(), docs)), StringComparer.Ordinal);
    }

    public sealed record Document(string Json, string Hash)
    {
        public static Document Of(JsonObject document)
        {
            var json = document.ToJsonString();
            return new Document(json, Convert.ToHexString(SHA512.HashData(Encoding.UTF8.GetBytes(json))));
        }
    }

    /// <summary>The discovery document of <c>/openapi/v3</c>.</summary>
    public JsonObject Index()
    {
        var paths = new JsonObject();
        foreach (var (path, doc) in _documents.OrderBy(d => d.Key, StringComparer.Ordinal))
            paths[path] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{path}?hash={doc.Hash}" };
        return new JsonObject { ["paths"] = paths };
    }

    /// <summary>The document of <c>api/v1</c>, <c>apis/apps/v1</c> ..., or null.</summary>
    public Document? Find(string path) => _documents.GetValueOrDefault(path);

    private static JsonObject Build(string groupVersion, List<ResourceKind> kinds, XmlDocs docs)
    {
        var catalog = new SchemaCatalog(docs);
        var paths = new JsonObject();
        foreach (var kind in kinds)
        {
            var schema = catalog.AddKind(kind);
            var list = catalog.AddComponent(NameOfList(schema), ListSchema(kind, schema));
            var scale = kind.HasSubresource("scale") ? catalog.AddComponent("io.platform.autoscaling.v1.Scale", ScaleSchema()) : null;
            var ops = new Operations(kind);
            foreach (var ns in kind.Namespaced ? new[] { true, false } : [false])
            {
                var prefix = $"/{groupVersion}" + (ns ? "/namespaces/{namespace}" : "");
                var collection = new JsonObject { ["get"] = ops.Op("list", ns, list, query: ["labelSelector", "fieldSelector", "resourceVersion", "watch", "timeoutSeconds"]) };
                if (ns || !kind.Namespaced)
                {
                    collection["post"] = ops.Op("create", ns, schema, body: schema);
                    paths[$"{prefix}/{kind.Plural}/{{name}}"] = new JsonObject
                    {
                        ["get"] = ops.Op("read", ns, schema),
                        ["put"] = ops.Op("replace", ns, schema, body: schema),
                        ["patch"] = ops.Op("patch", ns, schema, patch: true),
                        ["delete"] = ops.Op("delete", ns, schema, query: ["propagationPolicy", "dryRun"]),
                        ["parameters"] = Parameters(ns, named: true),
                    };
                    foreach (var sub in kind.Subresources.Where(s => s is "status" or "scale"))
                    {
                        var target = sub == "scale" ? scale! : schema;
                        var subOps = sub == "scale" ? new Operations(kind, "autoscaling", "v1", "Scale", "Scale") : new Operations(kind, suffix: "Status");
                        paths[$"{prefix}/{kind.Plural}/{{name}}/{sub}"] = new JsonObject
                        {
                            ["get"] = subOps.Op("read", ns, target),
                            ["put"] = subOps.Op("replace", ns, target, body: target),
                            ["patch"] = subOps.Op("patch", ns, target, patch: true),
                            ["parameters"] = Parameters(ns, named: true),
                        };
                    }
                }
                collection["parameters"] = Parameters(ns, named: false);
                paths[$"{prefix}/{kind.Plural}"] = collection;
            }
        }
        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Platform", ["version"] = "v1.32.0" },
            ["paths"] = paths,
            ["components"] = new JsonObject
            {
                ["schemas"] = catalog.Schemas,
                ["securitySchemes"] = new JsonObject { ["BearerToken"] = new JsonObject { ["type"] = "apiKey", ["name"] = "authorization", ["in"] = "header", ["description"] = "Bearer token" } },
            },
            ["security"] = new JsonArray(new JsonObject { ["BearerToken"] = new JsonArray() }),
        };
    }

    /// <summary>The operations of one kind (or of its status or scale), named as kube-apiserver names them (<c>patchAppsV1NamespacedDeploymentStatus</c>).</summary>
    private sealed class Operations(ResourceKind kind, string? group = null, string? version = null, string? gvkKind = null, string suffix = "")
    {
        private readonly string _group = group ?? kind.Group;
        private readonly string _version = version ?? kind.Version;
        private readonly string _kind = gvkKind ?? kind.Kind;

        public JsonObject Op(string action, bool ns, string schema, string? body = null, bool patch = false, string[]? query = null)
        {
            var op = new JsonObject
            {
                ["tags"] = new JsonArray(Camel(kind.Group.Length == 0 ? "core" : kind.Group.Split('.')[0]) + Camel(kind.Version)),
                ["description"] = $"{action} {(suffix == "" ? "the specified" : suffix.ToLowerInvariant() + " of the specified")} {kind.Kind}",
                ["operationId"] = action + Camel(kind.Group.Length == 0 ? "core" : kind.Group.Split('.')[0]) + Camel(kind.Version)
                    + (ns ? "Namespaced" : "") + kind.Kind + suffix + (action == "list" && !ns && kind.Namespaced ? "ForAllNamespaces" : ""),
                ["parameters"] = new JsonArray([.. (query ?? []).Select(Query), .. WriteParameters(action, patch)]),
                ["responses"] = new JsonObject
                {
                    [action == "create" ? "201" : "200"] = new JsonObject
                    {
                        ["description"] = "OK",
                        ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = SchemaCatalog.Ref(schema) } },
                    },
                    ["401"] = new JsonObject { ["description"] = "Unauthorized" },
                },
                ["x-kubernetes-action"] = action switch { "read" => "get", "replace" => "put", "create" => "post", _ => action },
                ["x-kubernetes-group-version-kind"] = new JsonObject { ["group"] = _group, ["kind"] = _kind, ["version"] = _version },
            };
            if (body is not null)
                op["requestBody"] = new JsonObject
                {
                    ["content"] = new JsonObject { ["*/*"] = new JsonObject { ["schema"] = SchemaCatalog.Ref(body) } },
                    ["required"] = true,
                };
            if (patch)
            {
                var content = new JsonObject();
                foreach (var type in PatchTypes) content[type] = new JsonObject { ["schema"] = new JsonObject { ["type"] = "object" } };
                op["requestBody"] = new JsonObject { ["content"] = content, ["required"] = true };
            }
            return op;
        }

        private static IEnumerable<JsonNode> WriteParameters(string action, bool patch)
        {
            if (action is not ("create" or "replace" or "patch")) yield break;
            yield return Query("dryRun");
            yield return Query("fieldManager");
            yield return Query("fieldValidation");
            if (patch) yield return new JsonObject { ["name"] = "force", ["in"] = "query", ["schema"] = new JsonObject { ["type"] = "boolean" }, ["uniqueItems"] = true };
        }
    }

    private static JsonObject Query(string name) => new()
    {
        ["name"] = name,
        ["in"] = "query",
        ["description"] = name switch
        {
            "fieldValidation" => "How unknown or duplicate fields are handled: Ignore, Warn (the default: a Warning header per field) or Strict (400/422 naming them).",
            "dryRun" => "All: admit and validate, store nothing.",
            "fieldManager" => "The name of the actor making the change (server-side apply's field owner).",
            _ => name,
        },
        ["schema"] = new JsonObject { ["type"] = name is "watch" ? "boolean" : name is "timeoutSeconds" ? "integer" : "string" },
        ["uniqueItems"] = true,
    };

    private static JsonArray Parameters(bool ns, bool named)
    {
        var list = new JsonArray();
        if (named) list.Add(Path("name", "name of the object"));
        if (ns) list.Add(Path("namespace", "object name and auth scope, such as for teams and projects"));
        list.Add(new JsonObject { ["name"] = "pretty", ["in"] = "query", ["schema"] = new JsonObject { ["type"] = "string" }, ["uniqueItems"] = true });
        return list;
    }

    private static JsonObject Path(string name, string description) => new()
    {
        ["name"] = name, ["in"] = "path", ["required"] = true, ["description"] = description,
        ["schema"] = new JsonObject { ["type"] = "string" }, ["uniqueItems"] = true,
    };

    private static string NameOfList(string kindSchema) => kindSchema + "List";

    private static JsonObject ListSchema(ResourceKind kind, string schema) => new()
    {
        ["description"] = $"A list of {kind.Plural}.",
        ["type"] = "object",
        ["required"] = new JsonArray("items"),
        ["properties"] = new JsonObject
        {
            ["apiVersion"] = new JsonObject { ["type"] = "string" },
            ["kind"] = new JsonObject { ["type"] = "string" },
            ["metadata"] = new JsonObject { ["type"] = "object", ["properties"] = new JsonObject { ["resourceVersion"] = new JsonObject { ["type"] = "string" } } },
            ["items"] = new JsonObject { ["type"] = "array", ["items"] = SchemaCatalog.Ref(schema) },
        },
        ["x-kubernetes-group-version-kind"] = SchemaCatalog.Gvk(kind.Group, kind.Version, kind.ListKind),
    };

    private static JsonObject ScaleSchema() => new()
    {
        ["description"] = "Scale: the desired and observed replicas of a scalable kind (the scale subresource).",
        ["type"] = "object",
        ["properties"] = new JsonObject
        {
            ["apiVersion"] = new JsonObject { ["type"] = "string" },
            ["kind"] = new JsonObject { ["type"] = "string" },
            ["metadata"] = new JsonObject { ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true },
            ["spec"] = new JsonObject { ["type"] = "object", ["properties"] = new JsonObject { ["replicas"] = new JsonObject { ["type"] = "integer", ["format"] = "int32", ["description"] = "desired number of replicas" } } },
            ["status"] = new JsonObject
            {
                ["type"] = "object",
                ["properties"] = new JsonObject
                {
                    ["replicas"] = new JsonObject { ["type"] = "integer", ["format"] = "int32", ["description"] = "observed number of replicas" },
                    ["selector"] = new JsonObject { ["type"] = "string", ["description"] = "label selector of the pods counted, in the string form" },
                },
            },
        },
        ["x-kubernetes-group-version-kind"] = SchemaCatalog.Gvk("autoscaling", "v1", "Scale"),
    };

    private static string Camel(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];
}
