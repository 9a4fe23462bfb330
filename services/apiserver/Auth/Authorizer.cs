using Platform.Contracts.Storage;
using System.Text.Json.Nodes;
using Platform.Contracts.Resources;
using Platform.ApiServer.Problems;
using Platform.ApiServer.Auth.Rbac;
using Platform.ApiServer.Storage;

namespace Platform.ApiServer.Auth;

/// <summary>
/// Authorization in one place, as Kubernetes chains its authorizers: the platform's component tokens (node,
/// scheduler, controller, the apiserver's own) keep their built-in rules, like Kubernetes' Node authorizer and the
/// components' bootstrap roles; admin tokens are <c>system:masters</c>; everything else — and anything the built-in
/// rules leave out — is RBAC's (<see cref="RbacAuthorizer"/>): editor and viewer tokens hold <c>edit</c> and
/// <c>view</c> in their namespace, ServiceAccounts and users what their bindings grant. <see cref="Check"/> runs
/// before any storage access; <see cref="CheckObject"/> adds the per-object rule of node tokens (only pods bound to
/// their node, only their own Node and Lease).
/// </summary>
internal sealed class Authorizer(RbacAuthorizer rbac, ObjectStore store)
{
    private static bool IsRead(Verb v) => v is Verb.Get or Verb.List or Verb.Watch;

    /// <summary>
    /// Throws 403 unless <paramref name="c"/> may do <paramref name="verb"/>; <paramref name="metadataOnly"/> reads
    /// (client-go's metadata client) are what the built-in rules allow controllers on Secrets.
    /// </summary>
    public void Check(Caller c, Verb verb, ResourceKind kind, string? ns, string? subresource, string? name = null, bool metadataOnly = false)
    {
        var builtIn = BuiltIn(c, verb, kind, ns, subresource, metadataOnly);
        if (builtIn is null) return;
        var attributes = AttributesOf(verb, kind, ns, subresource, name);
        if (rbac.Allows(c, attributes)) return;
        throw ApiProblem.Forbidden(ForbiddenMessage(c, attributes, kind, builtIn));
    }

    /// <summary>Whether the caller may do what <paramref name="a"/> describes (for access reviews).</summary>
    public bool Allows(Caller c, RequestAttributes a)
    {
        var kind = ResourceKinds.All.FirstOrDefault(k => k.Group == a.ApiGroup && k.Plural == a.Resource);
        if (kind is not null && Enum.TryParse<Verb>(a.Verb, ignoreCase: true, out var verb) && BuiltIn(c, verb, kind, a.Namespace, a.Subresource, metadataOnly: false) is null) return true;
        return c.Role == Role.Admin || rbac.Allows(c, a);
    }

    /// <summary>
    /// Kubernetes' privilege-escalation prevention for RBAC writes: a Role or ClusterRole may only grant what the caller
    /// holds itself (where the role applies) unless RBAC gives it <c>escalate</c> on the role; a binding may only grant a
    /// role whose rules the caller holds unless RBAC gives it <c>bind</c> on that role. Admin tokens hold everything;
    /// the controller identity updates aggregated ClusterRoles (Kubernetes' aggregation controller has <c>escalate</c>).
    /// </summary>
    public async Task CheckEscalationAsync(Caller c, ResourceKind kind, JsonObject obj, CancellationToken ct)
    {
        if (kind.Group != ResourceKinds.Rbac || c.Role == Role.Admin) return;
        var r = ResourceCodec.Decode(kind, obj);
        var ns = kind.Namespaced ? r.Metadata.Namespace : null;
        var name = r.Metadata.Name;
        List<PolicyRule>? granted;
        if (r is Contracts.Resources.Role or ClusterRole)
        {
            if (c.Role == Role.Controller && kind == ResourceKinds.ClusterRole) return;
            if (rbac.Allows(c, new RequestAttributes("escalate", kind.Group, kind.Plural, null, name, ns))) return;
            granted = r is Contracts.Resources.Role role ? role.Rules : ((ClusterRole)r).Rules;
        }
        else
        {
            var roleRef = r is RoleBinding rb ? rb.RoleRef : ((ClusterRoleBinding)r).RoleRef;
            var plural = roleRef.Kind == "Role" ? ResourceKinds.Role.Plural : ResourceKinds.ClusterRole.Plural;
            if (rbac.Allows(c, new RequestAttributes("bind", ResourceKinds.Rbac, plural, null, roleRef.Name, ns))) return;
            // The role is read from storage, not the informer: one created a moment ago must be found (as Kubernetes' registry does).
            granted = await RulesOfAsync(roleRef, ns, ct)
                ?? throw ApiProblem.Forbidden($"{kind.QualifiedPlural} \"{name}\" is forbidden: {roleRef.Kind?.ToLowerInvariant()}s.{ResourceKinds.Rbac} \"{roleRef.Name}\" not found, and user \"{c.User}\" may not bind it");
        }
        var missing = PolicyRules.Uncovered(rbac.RulesFor(c, ns), granted ?? []);
        if (missing.Count == 0) return;
        throw ApiProblem.Forbidden($"{kind.QualifiedPlural} \"{name}\" is forbidden: user \"{c.User}\" (groups=[{string.Join(" ", c.Groups.Select(g => $"\"{g}\""))}]) " +
            $"is attempting to grant RBAC permissions not currently held:\n{string.Join("\n", missing.Take(20).Select(PolicyRules.Describe))}");
    }

    private async Task<List<PolicyRule>?> RulesOfAsync(RoleRef roleRef, string? ns, CancellationToken ct)
    {
        var (kind, scope) = roleRef.Kind switch
        {
            "Role" when ns is not null => (ResourceKinds.Role, ns),
            "ClusterRole" => (ResourceKinds.ClusterRole, ""),
            _ => (null, ""),
        };
        if (kind is null || roleRef.Name is not { Length: > 0 } name) return null;
        var stored = await store.GetAsync(kind, scope, name, ct);
        if (stored is null) return null;
        return ResourceCodec.Decode(kind, stored.Body) switch
        {
            Contracts.Resources.Role r => r.Rules ?? [],
            ClusterRole cr => cr.Rules ?? [],
            _ => null,
        };
    }

    /// <summary>RBAC's view of a request: Kubernetes' verb names; a Namespace's own name is its namespace.</summary>
    public static RequestAttributes AttributesOf(Verb verb, ResourceKind kind, string? ns, string? subresource, string? name) =>
        new(verb.ToString().ToLowerInvariant(), kind.Group, kind.Plural, subresource, name,
            kind == ResourceKinds.Namespace ? name : kind.Namespaced ? ns : null);

    /// <summary>Kubernetes' wording: <c>pods "x" is forbidden: User "u" cannot get resource "pods" in API group "" in the namespace "n"</c>.</summary>
    private static string ForbiddenMessage(Caller c, RequestAttributes a, ResourceKind kind, string builtInReason)
    {
        var target = a.Name is null ? $"{kind.QualifiedPlural} is forbidden" : $"{kind.QualifiedPlural} \"{a.Name}\" is forbidden";
        var where = a.Namespace is not null && kind.Namespaced ? $" in the namespace \"{a.Namespace}\"" : kind.Namespaced ? "" : " at the cluster scope";
        var message = $"{target}: User \"{c.User}\" cannot {a.Verb} resource \"{a.QualifiedResource}\" in API group \"{a.ApiGroup}\"{where}";
        return builtInReason.Length == 0 ? message : $"{message}: {builtInReason}";
    }

    /// <summary>
    /// The built-in rules of the component roles: null when they allow the request, else why not ("" when they have
    /// no opinion, as for editor, viewer and ServiceAccount tokens), and RBAC decides.
    /// </summary>
    private static string? BuiltIn(Caller c, Verb verb, ResourceKind kind, string? ns, string? sub, bool metadataOnly)
    {
        var secret = kind == ResourceKinds.Secret;
        var rbacKind = kind.Group == ResourceKinds.Rbac;
        // Streaming and logs are for people (RBAC's edit/view grant them); no component needs them.
        if (kind == ResourceKinds.Pod && sub is "log" or "portforward" or "exec" or "attach" && c.Role is not Role.Admin)
            return c.Role is Role.Editor or Role.Viewer or Role.ServiceAccount or Role.User ? "" : $"{c.Role.ToString().ToLowerInvariant()} tokens may not use pods/{sub}";
        if (verb == Verb.DeleteCollection) verb = Verb.Delete;
        switch (c.Role)
        {
            case Role.Admin:
                return null;
            case Role.Editor or Role.Viewer or Role.ServiceAccount or Role.User:
                return "";
            case Role.Scheduler:
                if (secret || rbacKind) return "the scheduler may not access secrets or RBAC objects";
                if (IsRead(verb)) return null;
                if (kind == ResourceKinds.Pod && (sub is "binding" or "status")) return null;
                // Preemption deletes the victims, as kube-scheduler does.
                if (kind == ResourceKinds.Pod && sub is null && verb is Verb.Delete) return null;
                if (kind == ResourceKinds.Event && verb is Verb.Create or Verb.Update or Verb.Patch) return null;
                // VolumeBinding names the chosen node on WaitForFirstConsumer claims (volume.kubernetes.io/selected-node).
                if (kind == ResourceKinds.PersistentVolumeClaim && sub is null && verb is Verb.Update or Verb.Patch) return null;
                return "the scheduler may only bind, preempt (delete) pods, update pod status, annotate claims and write events";
            case Role.Controller:
                // The quota controller counts Secrets: their metadata, never their data.
                if (secret && !(metadataOnly && IsRead(verb)) || kind == ResourceKinds.Namespace && !IsRead(verb))
                    return "controllers may not access secrets (but read their metadata) or change namespaces";
                if (rbacKind && !(IsRead(verb) || kind == ResourceKinds.ClusterRole && verb is Verb.Update or Verb.Patch))
                    return "controllers may only read RBAC objects and update ClusterRoles (aggregation)";
                if (kind == ResourceKinds.Node && !IsRead(verb) && !(sub == "status" || verb is Verb.Update or Verb.Patch)) return "controllers may only update nodes";
                if (kind == ResourceKinds.Lease && !IsRead(verb) && ns != SystemNamespaces.KubeSystem) return $"controllers may only write leases in namespace \"{SystemNamespaces.KubeSystem}\"";
                return null;
            case Role.Node:
                if (kind == ResourceKinds.Pod)
                {
                    if (IsRead(verb)) return null; // list/watch are pinned to the node's pods by the handler
                    if (sub is null && verb is Verb.Create or Verb.Delete) return null; // mirror pods only: see CheckNodeWrite
                    return sub == "status" && verb is Verb.Update or Verb.Patch ? null : "a node may only read its pods, write their status and create or delete its mirror pods";
                }
                if (kind == ResourceKinds.Node) return verb == Verb.Delete ? "a node may not delete nodes" : null;
                // Tokens for the ServiceAccounts of its pods, bound to the pod (NodeRestriction, checked by TokenRequests).
                if (kind == ResourceKinds.ServiceAccount && sub == "token" && verb == Verb.Create) return null;
                if (kind == ResourceKinds.Event) return verb is Verb.Create or Verb.Update or Verb.Patch or Verb.Get ? null : "a node may only write events";
                if (kind == ResourceKinds.Lease)
                    return ns == SystemNamespaces.NodeLease && verb is Verb.Get or Verb.Create or Verb.Update or Verb.Patch ? null : $"a node may only get, create and update its own lease in namespace \"{SystemNamespaces.NodeLease}\"";
                // Services are read whole: the agent's service variables, proxy and DNS follow all of them (kubelet, kube-proxy).
                if (kind == ResourceKinds.Service) return IsRead(verb) ? null : "a node may only read services";
                if (kind == ResourceKinds.ConfigMap || secret) return verb == Verb.Get ? null : "a node may only get configmaps and secrets";
                // What a node's service proxy follows, as Kubernetes' node authorizer lets kube-proxy read them.
                if (kind == ResourceKinds.EndpointSlice || kind == ResourceKinds.Endpoints) return IsRead(verb) ? null : "a node may only read endpointslices and endpoints";
                // Claims and classes are read to mount and provision; volumes are read to mount, and the node's local
                // provisioner creates and deletes those pinned to the node (checked by CheckNodeWrite).
                if (kind == ResourceKinds.PersistentVolumeClaim || kind == ResourceKinds.StorageClass) return IsRead(verb) ? null : $"a node may only read {kind.Plural}";
                if (kind == ResourceKinds.PersistentVolume)
                    return IsRead(verb) || verb is Verb.Create or Verb.Delete ? null : "a node may only read persistentvolumes and create or delete its local ones";
                return "a node may not access " + kind.Plural;
            case Role.ApiServer:
                return "the apiserver's identity is only used toward node agents";
            default:
                return "unknown role";
        }
    }

    /// <summary>
    /// Kubernetes' NodeRestriction for what a node token creates and deletes: only mirror pods of its static pods, i.e.
    /// carrying the <c>kubernetes.io/config.mirror</c> annotation, bound to the node (checked by <see cref="CheckObject"/>)
    /// and owned by nothing but that Node; and only PersistentVolumes its local provisioner made, pinned to the node.
    /// </summary>
    public static void CheckNodeWrite(Caller c, ResourceKind kind, JsonObject obj)
    {
        if (c.Role != Role.Node) return;
        if (kind == ResourceKinds.PersistentVolume)
        {
            if (!LocalVolumes.IsPinnedTo(obj, c.NodeName))
                throw ApiProblem.Forbidden($"node token \"{c.Name}\" may only create or delete local persistentvolumes pinned to node \"{c.NodeName}\" (spec.local and spec.nodeAffinity)");
            return;
        }
        if (kind != ResourceKinds.Pod) return;
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
