using Platform.Contracts.Resources;
using Platform.Contracts.Resources.GatewayApi;

namespace Platform.ApiServer.Auth.Rbac;

/// <summary>
/// The ClusterRoles every cluster starts with, as Kubernetes bootstraps them (<c>cluster-admin</c>, and
/// <c>admin</c> ⊃ <c>edit</c> ⊃ <c>view</c> aggregated from the <c>system:aggregate-to-*</c> roles), limited to the
/// kinds this apiserver serves, plus the platform's own kinds aggregated into them. The apiserver creates them at start
/// (<see cref="RbacBootstrap"/>) and brings those labelled <c>rbac.authorization.kubernetes.io/autoupdate: "true"</c>
/// back to these rules; the controller-manager keeps the aggregated rules current when other ClusterRoles are added.
/// </summary>
internal static class DefaultRoles
{
    public const string ClusterAdmin = "cluster-admin";
    public const string Admin = "admin";
    public const string Edit = "edit";
    public const string View = "view";
    public const string AggregateTo = "rbac.authorization.k8s.io/aggregate-to-";
    public const string AutoUpdate = "rbac.authorization.kubernetes.io/autoupdate";
    public const string Bootstrapping = "kubernetes.io/bootstrapping";

    private static readonly List<string> Read = ["get", "list", "watch"];
    private static readonly List<string> Write = ["create", "delete", "deletecollection", "patch", "update"];
    private static readonly List<string> ReadWrite = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

    private static PolicyRule Rule(List<string> verbs, string group, params string[] resources) =>
        new() { Verbs = verbs, ApiGroups = [group], Resources = [.. resources] };

    public static IReadOnlyList<ClusterRole> ClusterRoles { get; } =
    [
        Make(ClusterAdmin, null, null,
            new PolicyRule { Verbs = ["*"], ApiGroups = ["*"], Resources = ["*"] },
            new PolicyRule { Verbs = ["*"], NonResourceURLs = ["*"] }),
        Make(Admin, null, Admin),
        Make(Edit, Admin, Edit),
        Make(View, Edit, View),
        Make("system:aggregate-to-admin", Admin, null,
            Rule(ReadWrite, ResourceKinds.Rbac, "roles", "rolebindings"),
            Rule(["create"], "authorization.k8s.io", "localsubjectaccessreviews")),
        Make("system:aggregate-to-edit", Edit, null,
            Rule(Read, "", "pods/attach", "pods/exec", "pods/portforward", "secrets"),
            Rule(["impersonate"], "", "serviceaccounts"),
            Rule(Write, "", "pods", "pods/attach", "pods/exec", "pods/portforward"),
            Rule(Write, "", "configmaps", "endpoints", "events", "secrets", "serviceaccounts", "services"),
            Rule(Write, "", "persistentvolumeclaims"),
            Rule(["create"], "", "serviceaccounts/token"),
            Rule(Write, "apps", "deployments", "deployments/rollback", "deployments/scale", "replicasets", "replicasets/scale"),
            Rule(Write, "apps", "daemonsets", "statefulsets", "statefulsets/scale"),
            Rule(Write, ResourceKinds.Networking, "ingresses"),
            Rule(Write, ResourceKinds.Batch, "cronjobs", "jobs"),
            Rule(["create"], "", "pods/eviction"),
            Rule(Write, ResourceKinds.Policy, "poddisruptionbudgets"),
            Rule(Write, ResourceKinds.Autoscaling, "horizontalpodautoscalers")),
        Make("system:aggregate-to-view", View, null,
            Rule(Read, "", "configmaps", "endpoints", "pods", "serviceaccounts", "services", "services/status"),
            Rule(Read, ResourceKinds.Discovery, "endpointslices"),
            Rule(Read, "", "events", "limitranges", "namespaces/status", "pods/log", "pods/status", "resourcequotas", "resourcequotas/status"),
            Rule(Read, "", "namespaces"),
            Rule(Read, "", "persistentvolumeclaims", "persistentvolumeclaims/status"),
            Rule(Read, "apps", "deployments", "deployments/scale", "deployments/status", "replicasets", "replicasets/scale", "replicasets/status"),
            Rule(Read, "apps", "controllerrevisions", "daemonsets", "daemonsets/status", "statefulsets", "statefulsets/scale", "statefulsets/status"),
            Rule(Read, ResourceKinds.Networking, "ingresses", "ingresses/status"),
            Rule(Read, ResourceKinds.Batch, "cronjobs", "cronjobs/status", "jobs", "jobs/status"),
            Rule(Read, ResourceKinds.Policy, "poddisruptionbudgets", "poddisruptionbudgets/status"),
            Rule(Read, ResourceKinds.Autoscaling, "horizontalpodautoscalers", "horizontalpodautoscalers/status")),
        // Delegated authentication and authorization, for components that check their own callers (the config server).
        Make("system:auth-delegator", null, null,
            Rule(["create"], "authentication.k8s.io", "tokenreviews"),
            Rule(["create"], "authorization.k8s.io", "subjectaccessreviews")),
        // The gateway follows Routes, Ingresses (its IngressClass's), their Services and EndpointSlices and API-key or TLS Secrets of every
        // namespace, and Gateway API's kinds (with Namespaces, for listeners' selectors); it writes only what it reports: Route, Ingress and
        // Gateway API status and events.
        Make("system:platform:gateway", null, null,
            Rule(Read, "gateway.platform.io", "routes", "routefilters"),
            Rule(["update", "patch"], "gateway.platform.io", "routes/status"),
            Rule(Read, "", "secrets", "services"),
            Rule(Read, ResourceKinds.Networking, "ingresses", "ingressclasses"),
            Rule(Read, ResourceKinds.Discovery, "endpointslices"),
            Rule(["update", "patch"], ResourceKinds.Networking, "ingresses/status"),
            Rule(Read, "", "namespaces"),
            Rule(Read, GatewayApiNames.Group, "gatewayclasses", "gateways", "httproutes", "referencegrants"),
            Rule(["update", "patch"], GatewayApiNames.Group, "gatewayclasses/status", "gateways/status", "httproutes/status"),
            Rule(["create", "update", "patch"], "", "events")),
        // The config server serves ConfigMaps and Secrets of every namespace (each to that namespace's callers only).
        Make("system:platform:config-server", null, null, Rule(Read, "", "configmaps", "secrets")),
        Make("platform:aggregate-to-edit", Edit, null, Rule(Write, "gateway.platform.io", "routes", "routefilters"),
            Rule(Write, ResourceKinds.Kafka, "kafkatopics", "kafkaconnectors"),
            Rule(Write, GatewayApiNames.Group, "gateways", "httproutes", "referencegrants")),
        Make("platform:aggregate-to-view", View, null, Rule(Read, "gateway.platform.io", "routes", "routefilters"),
            Rule(Read, ResourceKinds.Kafka, "kafkatopics", "kafkatopics/status", "kafkaconnectors", "kafkaconnectors/status"),
            Rule(Read, GatewayApiNames.Group, "gatewayclasses", "gatewayclasses/status", "gateways", "gateways/status", "httproutes", "httproutes/status", "referencegrants")),
        // metrics-server's role: view (and so edit and admin) read pod and node metrics, and the custom metrics of their namespace.
        Make("system:aggregated-metrics-reader", View, null, Rule(Read, "metrics.k8s.io", "pods", "nodes"), Rule(["get"], "custom.metrics.k8s.io", "*")),
    ];

    private static ClusterRole Make(string name, string? aggregatesInto, string? aggregatesFrom, params PolicyRule[] rules)
    {
        var labels = new Dictionary<string, string> { [Bootstrapping] = "rbac-defaults" };
        if (aggregatesInto is not null) labels[AggregateTo + aggregatesInto] = "true";
        return new ClusterRole
        {
            ApiVersion = ResourceKinds.ClusterRole.ApiVersion,
            Kind = ResourceKinds.ClusterRole.Kind,
            Metadata = new ObjectMeta { Name = name, Labels = labels, Annotations = new() { [AutoUpdate] = "true" } },
            Rules = [.. rules],
            AggregationRule = aggregatesFrom is null ? null : new AggregationRule
            {
                ClusterRoleSelectors = [new LabelSelector { MatchLabels = new() { [AggregateTo + aggregatesFrom] = "true" } }],
            },
        };
    }

    /// <summary><c>cluster-admin</c> for the <c>system:masters</c> group, as in Kubernetes.</summary>
    public static IReadOnlyList<ClusterRoleBinding> ClusterRoleBindings { get; } =
    [
        new ClusterRoleBinding
        {
            ApiVersion = ResourceKinds.ClusterRoleBinding.ApiVersion,
            Kind = ResourceKinds.ClusterRoleBinding.Kind,
            Metadata = new ObjectMeta
            {
                Name = ClusterAdmin,
                Labels = new() { [Bootstrapping] = "rbac-defaults" },
                Annotations = new() { [AutoUpdate] = "true" },
            },
            RoleRef = new RoleRef { ApiGroup = ResourceKinds.Rbac, Kind = "ClusterRole", Name = ClusterAdmin },
            Subjects = [new Subject { Kind = "Group", ApiGroup = ResourceKinds.Rbac, Name = Groups.Masters }],
        },
    ];
}
