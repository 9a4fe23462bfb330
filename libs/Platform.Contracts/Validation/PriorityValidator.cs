using Platform.Contracts.Resources;

namespace Platform.Contracts.Validation;

/// <summary>
/// PriorityClass and PodDisruptionBudget with Kubernetes' rules (pkg/apis/scheduling/validation and
/// pkg/apis/policy/validation), in Kubernetes' words.
/// </summary>
public static class PriorityValidator
{
    private static readonly string[] PreemptionPolicies = [PriorityClass.PreemptLowerPriority, PriorityClass.PreemptNever];
    private static readonly string[] EvictionPolicies = ["IfHealthyBudget", "AlwaysAllow"];

    public static void ValidateClass(PriorityClass pc, FieldErrors errors)
    {
        var name = pc.Metadata.Name ?? "";
        if (name.StartsWith(PriorityClass.SystemPrefix, StringComparison.Ordinal))
        {
            if (KnownSystemClassError(name, pc) is { } why)
                errors.Invalid("metadata.name", $"Forbidden: priority class names with '{PriorityClass.SystemPrefix}' prefix are reserved for system use only. error: {why}");
        }
        else if (pc.Value > PriorityClass.HighestUserDefinablePriority)
            errors.Invalid("value", $"Forbidden: maximum allowed value of a user defined priority is {PriorityClass.HighestUserDefinablePriority}");
        CheckPreemptionPolicy(pc.PreemptionPolicy, "preemptionPolicy", errors);
    }

    /// <summary>A pod's <c>spec.preemptionPolicy</c> or a class's <c>preemptionPolicy</c>.</summary>
    public static void CheckPreemptionPolicy(string? policy, string path, FieldErrors errors)
    {
        if (policy is not null && !PreemptionPolicies.Contains(policy))
            errors.Invalid(path, $"Unsupported value: \"{policy}\": supported values: \"Never\", \"PreemptLowerPriority\"");
    }

    private static string? KnownSystemClassError(string name, PriorityClass pc)
    {
        if (!PriorityClass.SystemClasses.TryGetValue(name, out var value)) return $"{name} is not a known system priority class";
        if (pc.Value != value) return $"value of {name} PriorityClass must be {value}";
        if (pc.GlobalDefault == true) return $"globalDefault of {name} PriorityClass must be false";
        return null;
    }

    public static void ValidateBudget(PodDisruptionBudget pdb, FieldErrors errors)
    {
        var spec = pdb.Spec;
        if (spec.MinAvailable is not null && spec.MaxUnavailable is not null)
            errors.Invalid("spec", "minAvailable and maxUnavailable cannot be both set");
        CheckPositiveIntOrPercent(spec.MinAvailable, "spec.minAvailable", errors);
        CheckPositiveIntOrPercent(spec.MaxUnavailable, "spec.maxUnavailable", errors);
        if (spec.Selector is { } sel)
            try { Selector.FromLabelSelector(sel); }
            catch (FormatException ex) { errors.Invalid("spec.selector", ex.Message); }
        if (spec.UnhealthyPodEvictionPolicy is { } p && !EvictionPolicies.Contains(p))
            errors.Invalid("spec.unhealthyPodEvictionPolicy", $"Unsupported value: \"{p}\": supported values: \"AlwaysAllow\", \"IfHealthyBudget\"");
        if (pdb.Status is { } st)
        {
            if (st.DisruptionsAllowed < 0) errors.Invalid("status.disruptionsAllowed", "must be greater than or equal to 0");
            if (st.CurrentHealthy < 0) errors.Invalid("status.currentHealthy", "must be greater than or equal to 0");
            if (st.DesiredHealthy < 0) errors.Invalid("status.desiredHealthy", "must be greater than or equal to 0");
            if (st.ExpectedPods < 0) errors.Invalid("status.expectedPods", "must be greater than or equal to 0");
        }
    }

    private static void CheckPositiveIntOrPercent(IntOrString? value, string path, FieldErrors errors)
    {
        if (value is not { } v) return;
        if (v.IntValue is { } i)
        {
            if (i < 0) errors.Invalid(path, $"Invalid value: {i}: must be greater than or equal to 0");
            return;
        }
        var s = v.StringValue ?? "";
        if (!s.EndsWith('%') || s.Length < 2 || !s[..^1].All(char.IsAsciiDigit))
            errors.Invalid(path, $"Invalid value: \"{s}\": a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')");
        else if (int.Parse(s[..^1], System.Globalization.CultureInfo.InvariantCulture) > 100)
            errors.Invalid(path, $"Invalid value: \"{s}\": must not be greater than 100%");
    }

    /// <summary>A class's value and preemption policy never change.</summary>
    public static void ValidateUpdate(Resource now, Resource old, FieldErrors errors)
    {
        if (now is not PriorityClass a || old is not PriorityClass b) return;
        if (a.Value != b.Value) errors.Invalid("value", "Forbidden: may not be changed in an update.");
        if ((a.PreemptionPolicy ?? PriorityClass.PreemptLowerPriority) != (b.PreemptionPolicy ?? PriorityClass.PreemptLowerPriority)) errors.Immutable("preemptionPolicy");
    }
}
