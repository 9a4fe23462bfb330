using Platform.Contracts.Resources;

namespace Platform.ApiServer.PodSecurity.Checks;

/// <summary>Baseline: the SELinux type is limited to the container types, and the SELinux user and role may not be set.</summary>
internal static class SeLinuxOptionsCheck
{
    private static readonly HashSet<string> Types1_0 = ["", "container_t", "container_init_t", "container_kvm_t"];
    private static readonly HashSet<string> Types1_31 = [.. Types1_0, "container_engine_t"];

    public static PodCheck Definition { get; } = new("seLinuxOptions", Level.Baseline,
        [new(0, (m, s) => Evaluate(s, Types1_0)), new(31, (m, s) => Evaluate(s, Types1_31))]);

    private static CheckResult? Evaluate(PodSpec spec, HashSet<string> allowedTypes)
    {
        var badTypes = new List<string>();
        bool setUser = false, setRole = false;
        bool Valid(SELinuxOptions o)
        {
            var valid = true;
            if (!allowedTypes.Contains(o.Type ?? "")) { valid = false; badTypes.Add(o.Type ?? ""); }
            if (!string.IsNullOrEmpty(o.User)) { valid = false; setUser = true; }
            if (!string.IsNullOrEmpty(o.Role)) { valid = false; setRole = true; }
            return valid;
        }
        var setters = new List<string>();
        if (spec.SecurityContext?.SeLinuxOptions is { } pod && !Valid(pod)) setters.Add("pod");
        var containers = CheckText.AllContainers(spec).Where(c => c.SecurityContext?.SeLinuxOptions is { } o && !Valid(o)).Select(c => c.Name!).ToList();
        if (containers.Count > 0) setters.Add(CheckText.Containers(containers));
        if (setters.Count == 0) return null;
        var data = new List<string>();
        var types = CheckText.Sorted(badTypes);
        if (types.Count > 0) data.Add($"{CheckText.Pluralize("type", "types", types.Count)} {CheckText.JoinQuote(types)}");
        if (setUser) data.Add("user may not be set");
        if (setRole) data.Add("role may not be set");
        return new CheckResult("seLinuxOptions", $"{string.Join(" and ", setters)} set forbidden securityContext.seLinuxOptions: {string.Join("; ", data)}");
    }
}
