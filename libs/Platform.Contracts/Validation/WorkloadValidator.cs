using Platform.Contracts.Resources;

namespace Platform.Contracts.Validation;

/// <summary>ReplicaSet and Deployment specs (DaemonSets and StatefulSets in <see cref="SetValidator"/>): replicas, selector, and a template whose labels the selector matches.</summary>
public static class WorkloadValidator
{
    public static void ValidateReplicaSet(ReplicaSetSpec? spec, FieldErrors errors)
    {
        if (spec is null) { errors.Required("spec"); return; }
        Common(spec.Replicas, spec.MinReadySeconds, spec.Selector, spec.Template, errors, "ReplicaSet or Deployment");
    }

    public static void ValidateDeployment(DeploymentSpec? spec, FieldErrors errors)
    {
        if (spec is null) { errors.Required("spec"); return; }
        Common(spec.Replicas, spec.MinReadySeconds, spec.Selector, spec.Template, errors, "ReplicaSet or Deployment");
        if (spec.RevisionHistoryLimit < 0) errors.Invalid("spec.revisionHistoryLimit", "must be >= 0");
        if (spec.ProgressDeadlineSeconds is { } pd && pd <= (spec.MinReadySeconds ?? 0)) errors.Invalid("spec.progressDeadlineSeconds", "must be greater than minReadySeconds");
        var strategy = spec.Strategy;
        if (strategy?.Type is { } t && t is not ("RollingUpdate" or "Recreate")) errors.Invalid("spec.strategy.type", $"'{t}' is not one of RollingUpdate, Recreate");
        if (strategy?.Type == "Recreate" && strategy.RollingUpdate is not null) errors.Invalid("spec.strategy.rollingUpdate", "may not be set when strategy.type is Recreate");
        if (strategy?.RollingUpdate is { } ru)
        {
            var surge = CheckIntOrPercent(ru.MaxSurge, "spec.strategy.rollingUpdate.maxSurge", errors);
            var unavailable = CheckIntOrPercent(ru.MaxUnavailable, "spec.strategy.rollingUpdate.maxUnavailable", errors);
            if (surge == 0 && unavailable == 0) errors.Invalid("spec.strategy.rollingUpdate.maxUnavailable", "may not be 0 when maxSurge is 0");
            if (ru.MaxUnavailable is { StringValue: { } s } && s.EndsWith('%') && unavailable > 100) errors.Invalid("spec.strategy.rollingUpdate.maxUnavailable", "may not be more than 100%");
        }
    }

    /// <summary>What every workload checks: replicas, minReadySeconds, a selector, and a template it matches whose pods restart Always.</summary>
    internal static void Common(int? replicas, int? minReady, LabelSelector? selector, PodTemplateSpec? template, FieldErrors errors, string owner)
    {
        if (replicas < 0) errors.Invalid("spec.replicas", "must be >= 0");
        if (minReady < 0) errors.Invalid("spec.minReadySeconds", "must be >= 0");
        var parsed = SelectorValidator.Validate(selector, "spec.selector", errors);
        if (template is null)
        {
            errors.Required("spec.template");
            return;
        }
        SelectorValidator.ValidateTemplateLabels(parsed, template, "spec.template", errors);
        PodSpecValidator.Validate(template.Spec, "spec.template.spec", errors);
        if (template.Spec?.RestartPolicy is { } rp && rp != "Always") errors.Invalid("spec.template.spec.restartPolicy", $"must be Always for pods of a {owner}");
    }

    /// <summary>The value of a number or percentage (-1 when absent or invalid, which is reported).</summary>
    internal static int CheckIntOrPercent(IntOrString? value, string path, FieldErrors errors)
    {
        if (value is not { } v) return -1;
        if (v.IntValue is { } i)
        {
            if (i < 0) errors.Invalid(path, "must be >= 0");
            return i;
        }
        var s = v.StringValue ?? "";
        if (!s.EndsWith('%') || !int.TryParse(s[..^1], out var pct) || pct < 0)
        {
            errors.Invalid(path, $"'{s}' must be an integer or a percentage such as 25%");
            return -1;
        }
        return pct;
    }
}
