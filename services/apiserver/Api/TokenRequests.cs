using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Platform.ApiServer.Auth;
using Platform.ApiServer.Problems;
using Platform.ApiServer.Resources;
using Platform.ApiServer.Storage;
using Platform.Contracts.Resources;
using Role = Platform.ApiServer.Auth.Role;

namespace Platform.ApiServer.Api;

/// <summary>
/// <c>POST /api/v1/namespaces/{ns}/serviceaccounts/{name}/token</c>, Kubernetes' TokenRequest (what
/// <c>kubectl create token</c> sends): a signed, expiring token for the ServiceAccount, optionally bound to a pod of
/// the same namespace so that deleting the pod revokes it. <c>spec.expirationSeconds</c> is at least 600 and is cut
/// to <c>ApiServer:ServiceAccountMaxTokenExpiration</c>; <c>spec.audiences</c> defaults to the apiserver's issuer.
/// </summary>
internal sealed class TokenRequests(ResourceService resources, ServiceAccountTokens tokens, IOptions<ApiServerOptions> options)
{
    public async Task<JsonObject> CreateAsync(Caller caller, string ns, string name, JsonObject body, CancellationToken ct)
    {
        var account = (ServiceAccount)ResourceCodec.Decode(ResourceKinds.ServiceAccount, (await resources.GetAsync(caller, ResourceKinds.ServiceAccount, ns, name, ct)).Body);
        var spec = body["spec"] as JsonObject ?? new JsonObject();
        var errors = new List<FieldError>();
        var audiences = new List<string>();
        if (spec["audiences"] is JsonArray list)
        {
            foreach (var a in list)
                if (a is JsonValue v && v.TryGetValue<string>(out var s) && s.Length is > 0 and <= 253) audiences.Add(s);
                else errors.Add(new("spec.audiences", "each audience must be a string of 1 to 253 characters"));
            if (audiences.Count > 16) errors.Add(new("spec.audiences", "at most 16 audiences"));
        }
        else if (spec["audiences"] is not null) errors.Add(new("spec.audiences", "must be a list of strings"));
        if (audiences.Count == 0) audiences.Add(tokens.Issuer);
        var lifetime = ServiceAccountTokens.DefaultExpiration;
        if (spec["expirationSeconds"] is { } e)
        {
            if (e is not JsonValue ev || !ev.TryGetValue<long>(out var seconds)) errors.Add(new("spec.expirationSeconds", "must be an integer"));
            else if (seconds < ServiceAccountTokens.MinExpiration.TotalSeconds) errors.Add(new("spec.expirationSeconds", $"may not specify a duration less than {ServiceAccountTokens.MinExpiration.TotalSeconds} seconds"));
            else lifetime = TimeSpan.FromSeconds(Math.Min(seconds, (long)TimeSpan.MaxValue.TotalSeconds / 2));
        }
        var max = options.Value.ServiceAccountMaxTokenExpiration;
        if (lifetime > max) lifetime = max;
        Pod? boundPod = null;
        if (spec["boundObjectRef"] is JsonObject bound)
        {
            var kind = (string?)bound["kind"];
            var podName = (string?)bound["name"];
            if (kind != "Pod") errors.Add(new("spec.boundObjectRef.kind", $"'{kind}' is not supported; tokens can be bound to a Pod"));
            else if (string.IsNullOrEmpty(podName)) errors.Add(new("spec.boundObjectRef.name", "required"));
            else
            {
                var stored = await resources.GetAsync(caller, ResourceKinds.Pod, ns, podName, ct);
                boundPod = (Pod)ResourceCodec.Decode(ResourceKinds.Pod, stored.Body);
                if ((string?)bound["uid"] is { Length: > 0 } uid && uid != boundPod.Metadata.Uid)
                    errors.Add(new("spec.boundObjectRef.uid", $"does not match pod \"{podName}\" (uid {boundPod.Metadata.Uid})"));
                if ((boundPod.Spec.ServiceAccountName ?? "default") != name)
                    errors.Add(new("spec.boundObjectRef.name", $"pod \"{podName}\" runs as ServiceAccount \"{boundPod.Spec.ServiceAccountName ?? "default"}\", not \"{name}\""));
            }
        }
        if (errors.Count > 0) throw ApiProblem.Invalid("TokenRequest", name, errors);
        // NodeRestriction: a node asks only for tokens bound to a pod it runs (GetAsync above checked the binding).
        if (caller.Role == Role.Node && boundPod is null)
            throw ApiProblem.Forbidden($"node \"{caller.NodeName}\" may only request tokens bound to a pod on it (spec.boundObjectRef)");
        var (token, expires) = tokens.Issue(account, audiences, lifetime, boundPod);
        spec["audiences"] = new JsonArray([.. audiences.Select(a => (JsonNode?)a)]);
        spec["expirationSeconds"] = (long)lifetime.TotalSeconds;
        if (boundPod is not null) spec["boundObjectRef"] = new JsonObject { ["kind"] = "Pod", ["apiVersion"] = "v1", ["name"] = boundPod.Metadata.Name, ["uid"] = boundPod.Metadata.Uid };
        return new JsonObject
        {
            ["kind"] = "TokenRequest",
            ["apiVersion"] = "authentication.k8s.io/v1",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns, ["creationTimestamp"] = null },
            ["spec"] = spec.DeepClone(),
            ["status"] = new JsonObject
            {
                ["token"] = token,
                ["expirationTimestamp"] = expires.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            },
        };
    }
}
