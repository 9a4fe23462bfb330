using System.Text.Json.Nodes;
using Platform.Contracts.Resources;
using Platform.ApiServer.Problems;

namespace Platform.ApiServer.Auth;

/// <summary>
/// Role-based rules in one place. <see cref="Check"/> runs before any storage access; <see cref="CheckObject"/>
/// adds the per-object rule of node tokens (only pods bound to their node, only their own Node and Lease).
/// </summary>
internal static class Authorizer
{
    private static bool IsRead(Verb v) => v is Verb.Get or Verb.List or Verb.Watch;

    public static void Check(Caller c, Verb verb, ResourceKind kind, string? ns, string? subresource)
    {
        var reason = Deny(c, verb, kind, ns, subresource);
        if (reason is not null)
        {
            var what = subresource is null ? kind.Plural : $"{kind.Plural}/{subresource}";
            var where = kind.Namespaced ? ns is null ? " in all namespaces" : $" in namespace \"{ns}\"" : "";
            throw ApiProblem.Forbidden($"{c.Role.ToString().ToLowerInvariant()} token \"{c.Name}\" may not {verb.ToString().ToLowerInvariant()} {what}{where}: {reason}");
        }
    }

    private static string? Deny(Caller c, Verb verb, ResourceKind kind, string? ns, string? sub)
    {
        var secret = kind == ResourceKinds.Secret;
        // kubectl's roles: people (admin, edit, view) read logs; node, scheduler and controller identities do not.
        if (kind == ResourceKinds.Pod && sub == "log" && c.Role is not (Role.Admin or Role.Editor or Role.Viewer))
            return "only admin, editor and viewer tokens may read pod logs";
        // Reaching into a pod's ports is a write (kubectl's edit role has it, view does not); no component needs it.
        if (kind == ResourceKinds.Pod && sub == "portforward" && c.Role is not (Role.Admin or Role.Editor))
            return "only admin and editor tokens may forward ports to pods";
        // Kubernetes' edit and admin roles run commands in pods; view, nodes and controllers do not.
        if (kind == ResourceKinds.Pod && sub is "exec" or "attach" && c.Role is not (Role.Admin or Role.Editor))
            return $"only admin and editor tokens may {sub} into pods";
        switch (c.Role)
        {
            case Role.Admin:
                return null;
            case Role.Editor:
                if (kind == ResourceKinds.Namespace && verb == Verb.Get) return null;
                if (!kind.Namespaced) return "editors work inside their namespace only";
                return ns == c.Namespace ? null : $"the token is limited to namespace \"{c.Namespace}\"";
            case Role.Viewer:
                if (!IsRead(verb)) return "viewers are read-only";
                if (secret) return "viewers may not read secrets";
                if (c.Namespace is null) return null;
                if (kind == ResourceKinds.Namespace && verb == Verb.Get) return null;
                return kind.Namespaced && ns == c.Namespace ? null : $"the token is limited to namespace \"{c.Namespace}\"";
            case Role.Scheduler:
                if (secret) return "the scheduler may not access secrets";
                if (IsRead(verb)) return null;
                if (kind == ResourceKinds.Pod && (sub is "binding" or "status")) return null;
                if (kind == ResourceKinds.Event && verb is Verb.Create or Verb.Update or Verb.Patch) return null;
                return "the scheduler may only bind pods, update pod status and write events";
            case Role.Controller:
                if (secret || kind == ResourceKinds.Namespace && !IsRead(verb)) return "controllers may not access secrets or change namespaces";
                if (kind == ResourceKinds.Node && !IsRead(verb) && !(sub == "status" || verb is Verb.Update or Verb.Patch)) return "controllers may only update nodes";
                if (kind == ResourceKinds.Lease && !IsRead(verb) && ns != SystemNamespaces.KubeSystem) return $"controllers may only write leases in namespace \"{SystemNamespaces.KubeSystem}\"";
                return null;
            case Role.Node:
                if (kind == ResourceKinds.Pod)
                {
                    if (IsRead(verb)) return null; // list/watch are pinned to the node's pods by the handler
                    if (sub is null && verb is Verb.Create or Verb.Delete) return null; // mirror pods only: see CheckMirrorPod
                    return sub == "status" && verb is Verb.Update or Verb.Patch ? null : "a node may only read its pods, write their status and create or delete its mirror pods";
                }
                if (kind == ResourceKinds.Node) return verb == Verb.Delete ? "a node may not delete nodes" : null;
                if (kind == ResourceKinds.Event) return verb is Verb.Create or Verb.Update or Verb.Patch or Verb.Get ? null : "a node may only write events";
                if (kind == ResourceKinds.Lease)
                    return ns == SystemNamespaces.NodeLease && verb is Verb.Get or Verb.Create or Verb.Update or Verb.Patch ? null : $"a node may only get, create and update its own lease in namespace \"{SystemNamespaces.NodeLease}\"";
                if (kind == ResourceKinds.ConfigMap || secret || kind == ResourceKinds.Service) return verb == Verb.Get ? null : "a node may only get configmaps, secrets and services";
                return "a node may not access " + kind.Plural;
            case Role.ApiServer:
                return "the apiserver's identity is only used toward node agents";
            default:
                return "unknown role";
        }
    }

    /// <summary>
    /// Kubernetes' NodeRestriction for pod creation and deletion by a node token: only mirror pods of its static pods,
    /// i.e. carrying the <c>kubernetes.io/config.mirror</c> annotation, bound to the node (checked by
    /// <see cref="CheckObject"/>) and owned by nothing but that Node.
    /// </summary>
    public static void CheckMirrorPod(Caller c, ResourceKind kind, JsonObject obj)
    {
        if (c.Role != Role.Node || kind != ResourceKinds.Pod) return;
        var meta = obj["metadata"];
        if (meta?["annotations"]?[MirrorAnnotation] is not JsonValue mirror || mirror.ToString().Length == 0)
            throw ApiProblem.Forbidden($"node token \"{c.Name}\" may only create or delete mirror pods (annotation {MirrorAnnotation}); metadata.annotations lacks it");
        if (meta["ownerReferences"] is JsonArray owners
            && (owners.Count > 1 || owners.Any(o => (string?)o?["kind"] != "Node" || (string?)o?["apiVersion"] != "v1" || (string?)o?["name"] != c.NodeName)))
            throw ApiProblem.Forbidden($"node token \"{c.Name}\" may only create mirror pods owned by its Node \"{c.NodeName}\" (metadata.ownerReferences)");
    }

    /// <summary>The annotation kubelet puts on mirror pods, the apiserver's sign that a node may create or delete them.</summary>
    public const string MirrorAnnotation = "kubernetes.io/config.mirror";

    /// <summary>The node rule: a node token touches only pods bound to it and only its own Node object.</summary>
    public static void CheckObject(Caller c, ResourceKind kind, JsonObject obj)
    {
        if (c.Role != Role.Node) return;
        if (kind == ResourceKinds.Pod && (string?)obj["spec"]?["nodeName"] != c.NodeName)
            throw ApiProblem.Forbidden($"node token \"{c.Name}\" may only access pods bound to node \"{c.NodeName}\"");
        if (kind == ResourceKinds.Node && (string?)obj["metadata"]?["name"] != c.NodeName)
            throw ApiProblem.Forbidden($"node token \"{c.Name}\" may only access node \"{c.NodeName}\"");
        if (kind == ResourceKinds.Lease && (string?)obj["metadata"]?["name"] != c.NodeName)
            throw ApiProblem.Forbidden($"node token \"{c.Name}\" may only access lease \"{SystemNamespaces.NodeLease}/{c.NodeName}\"");
    }
}
