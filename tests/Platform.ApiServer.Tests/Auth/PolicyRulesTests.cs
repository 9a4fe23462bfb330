using Platform.ApiServer.Auth.Rbac;
using Platform.Contracts.Resources;

namespace Platform.ApiServer.Tests.Auth;

/// <summary>RBAC's rule arithmetic and ClusterRole aggregation, without a server.</summary>
public sealed class PolicyRulesTests
{
    private static PolicyRule Rule(string verbs, string groups, string resources, string? names = null) => new()
    {
        Verbs = [.. verbs.Split(',')], ApiGroups = [.. groups.Split(',')], Resources = [.. resources.Split(',')],
        ResourceNames = names is null ? null : [.. names.Split(',')],
    };

    private static RequestAttributes Ask(string verb, string resource, string? sub = null, string? name = null, string group = "", string? ns = "a") =>
        new(verb, group, resource, sub, name, ns);

    [Fact]
    public void Subresources_NeedTheirOwnGrant_ExceptThroughStarSlash()
    {
        var pods = Rule("get", "", "pods");
        Assert.True(PolicyRules.Allows(pods, Ask("get", "pods")));
        Assert.False(PolicyRules.Allows(pods, Ask("get", "pods", "log")));
        Assert.True(PolicyRules.Allows(Rule("get", "", "pods/log"), Ask("get", "pods", "log")));
        Assert.True(PolicyRules.Allows(Rule("update", "apps", "*/scale"), Ask("update", "deployments", "scale", group: "apps")));
        Assert.False(PolicyRules.Allows(Rule("update", "apps", "*/scale"), Ask("update", "deployments", group: "apps")));
        Assert.False(PolicyRules.Allows(Rule("get", "apps", "deployments"), Ask("get", "deployments")));
        Assert.True(PolicyRules.Allows(Rule("*", "*", "*"), Ask("deletecollection", "anything", "x", group: "g")));
    }

    [Fact]
    public void ResourceNames_LimitToNamedObjects_AndNeverAllowListOrCreate()
    {
        var one = Rule("get,list,create", "", "configmaps", "app-config");
        Assert.True(PolicyRules.Allows(one, Ask("get", "configmaps", name: "app-config")));
        Assert.False(PolicyRules.Allows(one, Ask("get", "configmaps", name: "other")));
        Assert.False(PolicyRules.Allows(one, Ask("list", "configmaps")));
        Assert.False(PolicyRules.Allows(one, Ask("create", "configmaps")));
    }

    [Fact]
    public void NonResourceUrls_MatchExactlyOrByStarPrefix()
    {
        var rule = new PolicyRule { Verbs = ["get"], NonResourceURLs = ["/healthz", "/metrics/*"] };
        Assert.True(PolicyRules.Allows(rule, RequestAttributes.NonResource("get", "/healthz")));
        Assert.True(PolicyRules.Allows(rule, RequestAttributes.NonResource("get", "/metrics/cadvisor")));
        Assert.False(PolicyRules.Allows(rule, RequestAttributes.NonResource("get", "/healthz/ready")));
        Assert.False(PolicyRules.Allows(rule, Ask("get", "pods")));
    }

    [Fact]
    public void Uncovered_ListsEachVerbResourcePieceTheOwnerLacks_WildcardsCountOnlyForTheOwner()
    {
        List<PolicyRule> owner = [Rule("get,list", "", "pods,configmaps"), Rule("*", "apps", "deployments")];
        Assert.Empty(PolicyRules.Uncovered(owner, [Rule("get", "", "pods"), Rule("delete,patch", "apps", "deployments")]));
        var missing = PolicyRules.Uncovered(owner, [Rule("get,delete", "", "pods,secrets")]);
        Assert.Equal(["{APIGroups:[\"\"], Resources:[\"pods\"], Verbs:[\"delete\"]}", "{APIGroups:[\"\"], Resources:[\"secrets\"], Verbs:[\"delete\"]}",
            "{APIGroups:[\"\"], Resources:[\"secrets\"], Verbs:[\"get\"]}"], missing.Select(PolicyRules.Describe).Order());
        // Asking for "*" is asking for every verb: only an owner with "*" has it.
        Assert.Single(PolicyRules.Uncovered(owner, [Rule("*", "", "pods")]));
        // A named grant is covered by an unnamed one, not the other way round.
        Assert.Empty(PolicyRules.Uncovered(owner, [Rule("get", "", "pods", "p1")]));
        Assert.Single(PolicyRules.Uncovered([Rule("get", "", "pods", "p1")], [Rule("get", "", "pods")]));
    }

    [Fact]
    public void DefaultRoles_Aggregate_ViewIntoEditIntoAdmin()
    {
        var settled = ClusterRoleAggregation.Settle(DefaultRoles.ClusterRoles).ToDictionary(r => r.Metadata.Name!);
        RequestAttributes pods(string verb) => Ask(verb, "pods");
        Assert.True(PolicyRules.Allows(settled["view"].Rules!, pods("list")));
        Assert.False(PolicyRules.Allows(settled["view"].Rules!, pods("create")));
        Assert.False(PolicyRules.Allows(settled["view"].Rules!, Ask("get", "secrets")));
        Assert.True(PolicyRules.Allows(settled["edit"].Rules!, pods("list")));
        Assert.True(PolicyRules.Allows(settled["edit"].Rules!, pods("create")));
        Assert.True(PolicyRules.Allows(settled["edit"].Rules!, Ask("get", "secrets")));
        Assert.True(PolicyRules.Allows(settled["edit"].Rules!, Ask("create", "routes", group: "gateway.platform.io")));
        // Writing a pod's status is the node's and the scheduler's, not an editor's.
        Assert.False(PolicyRules.Allows(settled["edit"].Rules!, Ask("patch", "pods", "status")));
        Assert.False(PolicyRules.Allows(settled["edit"].Rules!, Ask("create", "rolebindings", group: ResourceKinds.Rbac)));
        Assert.True(PolicyRules.Allows(settled["admin"].Rules!, Ask("create", "rolebindings", group: ResourceKinds.Rbac)));
        Assert.True(PolicyRules.Allows(settled["admin"].Rules!, pods("delete")));
        Assert.False(PolicyRules.Allows(settled["admin"].Rules!, Ask("create", "namespaces", ns: null)));

        // A role labelled into view later reaches edit and admin too.
        var extra = new ClusterRole
        {
            Metadata = new ObjectMeta { Name = "widgets-view", Labels = new() { ["rbac.authorization.k8s.io/aggregate-to-view"] = "true" } },
            Rules = [Rule("get", "example.com", "widgets")],
        };
        var again = ClusterRoleAggregation.Settle([.. settled.Values, extra]).ToDictionary(r => r.Metadata.Name!);
        foreach (var name in new[] { "view", "edit", "admin" })
            Assert.True(PolicyRules.Allows(again[name].Rules!, Ask("get", "widgets", group: "example.com")), name);
    }
}
