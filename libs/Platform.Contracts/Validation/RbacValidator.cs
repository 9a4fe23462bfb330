using Platform.Contracts.Resources;

namespace Platform.Contracts.Validation;

/// <summary>Roles, ClusterRoles and their bindings: Kubernetes' rules for policy rules, role references and subjects.</summary>
public static class RbacValidator
{
    private const int MaxRules = 500;
    private const int MaxSubjects = 1000;

    public static void ValidateRules(List<PolicyRule>? rules, bool clusterScoped, FieldErrors errors)
    {
        if (rules is null) return;
        if (rules.Count > MaxRules) { errors.Invalid("rules", $"at most {MaxRules} rules"); return; }
        for (var i = 0; i < rules.Count; i++)
        {
            var path = $"rules[{i}]";
            var r = rules[i];
            if (r is null) { errors.Required(path); continue; }
            if (r.Verbs is not { Count: > 0 }) errors.Required(path + ".verbs");
            Strings(r.Verbs, path + ".verbs", errors);
            Strings(r.ApiGroups, path + ".apiGroups", errors, allowEmpty: true);
            Strings(r.Resources, path + ".resources", errors);
            Strings(r.ResourceNames, path + ".resourceNames", errors);
            Strings(r.NonResourceURLs, path + ".nonResourceURLs", errors);
            var resource = r.Resources is { Count: > 0 } || r.ApiGroups is { Count: > 0 } || r.ResourceNames is { Count: > 0 };
            if (r.NonResourceURLs is { Count: > 0 } urls)
            {
                if (!clusterScoped) errors.Invalid(path + ".nonResourceURLs", "namespaced rules cannot apply to non-resource URLs");
                else if (resource) errors.Invalid(path + ".nonResourceURLs", "rules cannot apply to both regular resources and non-resource URLs");
                foreach (var u in urls.Where(u => u is not null && u != "*" && !u.StartsWith('/')))
                    errors.Invalid(path + ".nonResourceURLs", $"'{u}' must start with '/' (or be '*')");
            }
            else
            {
                if (r.ApiGroups is null) errors.Required(path + ".apiGroups");
                if (r.Resources is not { Count: > 0 }) errors.Required(path + ".resources");
            }
        }
    }

    public static void ValidateAggregation(AggregationRule? rule, FieldErrors errors)
    {
        if (rule is null) return;
        if (rule.ClusterRoleSelectors is not { Count: > 0 } selectors) { errors.Required("aggregationRule.clusterRoleSelectors"); return; }
        for (var i = 0; i < selectors.Count; i++)
        {
            try { Selector.FromLabelSelector(selectors[i]); }
            catch (FormatException ex) { errors.Invalid($"aggregationRule.clusterRoleSelectors[{i}]", ex.Message); }
        }
    }

    public static void ValidateBinding(RoleRef? roleRef, List<Subject>? subjects, bool clusterBinding, FieldErrors errors)
    {
        if (roleRef is null) errors.Required("roleRef");
        else
        {
            if (roleRef.ApiGroup != ResourceKinds.Rbac) errors.Invalid("roleRef.apiGroup", $"must be '{ResourceKinds.Rbac}'");
            if (clusterBinding ? roleRef.Kind != "ClusterRole" : roleRef.Kind is not ("Role" or "ClusterRole"))
                errors.Invalid("roleRef.kind", clusterBinding ? "must be ClusterRole" : "must be Role or ClusterRole");
            if (string.IsNullOrEmpty(roleRef.Name)) errors.Required("roleRef.name");
            else if (!LabelNames.IsPathSegmentName(roleRef.Name)) errors.Invalid("roleRef.name", "must be a valid path segment name (no '/', '%', '..')");
        }
        if (subjects is null) return;
        if (subjects.Count > MaxSubjects) { errors.Invalid("subjects", $"at most {MaxSubjects} subjects"); return; }
        for (var i = 0; i < subjects.Count; i++)
        {
            var path = $"subjects[{i}]";
            var s = subjects[i];
            if (s is null) { errors.Required(path); continue; }
            if (string.IsNullOrEmpty(s.Name)) errors.Required(path + ".name");
            else if (s.Name.Length > 253) errors.Invalid(path + ".name", "must be at most 253 characters");
            switch (s.Kind)
            {
                case "User" or "Group":
                    if (s.ApiGroup != ResourceKinds.Rbac) errors.Invalid(path + ".apiGroup", $"must be '{ResourceKinds.Rbac}' for {s.Kind}");
                    break;
                case "ServiceAccount":
                    if (!string.IsNullOrEmpty(s.ApiGroup)) errors.Invalid(path + ".apiGroup", "must be \"\" for ServiceAccount");
                    if (s.Name is { Length: > 0 } n && !LabelNames.IsDns1123Subdomain(n)) errors.Invalid(path + ".name", "must be a DNS-1123 subdomain");
                    if (clusterBinding && string.IsNullOrEmpty(s.Namespace)) errors.Required(path + ".namespace");
                    else if (s.Namespace is { Length: > 0 } ns && !LabelNames.IsDns1123Label(ns)) errors.Invalid(path + ".namespace", "must be a DNS-1123 label");
                    break;
                default:
                    errors.Invalid(path + ".kind", $"'{s.Kind}' is not one of User, Group, ServiceAccount");
                    break;
            }
        }
    }

    private static void Strings(List<string>? values, string path, FieldErrors errors, bool allowEmpty = false)
    {
        if (values is null) return;
        if (values.Count > 256) { errors.Invalid(path, "at most 256 entries"); return; }
        for (var i = 0; i < values.Count; i++)
            if (values[i] is null || !allowEmpty && values[i].Length == 0 || values[i].Length > 253)
                errors.Invalid($"{path}[{i}]", allowEmpty ? "must be at most 253 characters" : "must be 1 to 253 characters");
    }
}
