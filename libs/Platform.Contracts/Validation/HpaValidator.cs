using Platform.Contracts.Resources;

namespace Platform.Contracts.Validation;

/// <summary>HorizontalPodAutoscaler (autoscaling/v2) as Kubernetes' autoscaling validation checks it, with its messages.</summary>
public static class HpaValidator
{
    private static readonly string[] SourceTypes = ["ContainerResource", "External", "Object", "Pods", "Resource"];
    private static readonly string[] TargetTypes = ["AverageValue", "Utilization", "Value"];
    private const int MaxStabilizationWindowSeconds = 3600;
    private const int MaxPeriodSeconds = 1800;

    public static void Validate(HorizontalPodAutoscaler hpa, FieldErrors errors)
    {
        var spec = hpa.Spec;
        if (spec is null) { errors.Invalid("spec", "Required value"); return; }
        var min = spec.MinReplicas ?? 1;
        if (spec.MinReplicas is { } m && m < 1) errors.Invalid("spec.minReplicas", $"Invalid value: {m}: must be greater than or equal to 1");
        if (spec.MaxReplicas < 1) errors.Invalid("spec.maxReplicas", $"Invalid value: {spec.MaxReplicas}: must be greater than 0");
        else if (spec.MaxReplicas < min) errors.Invalid("spec.maxReplicas", $"Invalid value: {spec.MaxReplicas}: must be greater than or equal to `minReplicas`");
        ValidateTarget(spec.ScaleTargetRef, errors);
        for (var i = 0; i < (spec.Metrics?.Count ?? 0); i++) ValidateMetric(spec.Metrics![i], $"spec.metrics[{i}]", errors);
        if (spec.Behavior is { } behavior)
        {
            ValidateRules(behavior.ScaleUp, "spec.behavior.scaleUp", errors);
            ValidateRules(behavior.ScaleDown, "spec.behavior.scaleDown", errors);
        }
    }

    private static void ValidateTarget(CrossVersionObjectReference? target, FieldErrors errors)
    {
        if (target?.Kind is not { Length: > 0 } kind) errors.Invalid("spec.scaleTargetRef.kind", "Required value");
        else if (kind.Contains('/') || kind.Contains('%')) errors.Invalid("spec.scaleTargetRef.kind", $"Invalid value: \"{kind}\": may not contain '/' or '%'");
        if (target?.Name is not { Length: > 0 } name) errors.Invalid("spec.scaleTargetRef.name", "Required value");
        else if (name is "." or ".." || name.Contains('/') || name.Contains('%'))
            errors.Invalid("spec.scaleTargetRef.name", $"Invalid value: \"{name}\": may not be '.', '..' or contain '/' or '%'");
    }

    private static void ValidateMetric(MetricSpec metric, string path, FieldErrors errors)
    {
        if (metric.Type is not { Length: > 0 } type) { errors.Invalid(path + ".type", "Required value: must specify a metric source type"); return; }
        if (!SourceTypes.Contains(type))
        {
            errors.Invalid(path + ".type", $"Unsupported value: \"{type}\": supported values: {string.Join(", ", SourceTypes.Select(t => $"\"{t}\""))}");
            return;
        }
        var populated = new (string Type, bool Set)[]
        {
            ("ContainerResource", metric.ContainerResource is not null), ("External", metric.External is not null), ("Object", metric.Object is not null),
            ("Pods", metric.Pods is not null), ("Resource", metric.Resource is not null),
        };
        foreach (var (other, set) in populated)
            if (set && other != type) errors.Invalid($"{path}.{char.ToLowerInvariant(other[0])}{other[1..]}", "Forbidden: must populate the given metric source only");
        if (!populated.First(p => p.Type == type).Set)
        {
            errors.Invalid($"{path}.{char.ToLowerInvariant(type[0])}{type[1..]}", "Required value: must populate information for the given metric source");
            return;
        }
        if (metric.Resource is { } resource && type == "Resource") ValidateResource(resource, path + ".resource", errors);
        if (metric.Pods is { } pods && type == "Pods") ValidatePods(pods, path + ".pods", errors);
        if (metric.Object is { } obj && type == "Object") ValidateObject(obj, path + ".object", errors);
    }

    private static void ValidatePods(PodsMetricSource source, string path, FieldErrors errors)
    {
        ValidateIdentifier(source.Metric, path + ".metric", errors);
        if (source.Target is not { } target) { errors.Invalid(path + ".target", "Required value: must specify a metric target"); return; }
        ValidateMetricTarget(target, path + ".target", errors);
        if (target.AverageValue is null) errors.Invalid(path + ".target.averageValue", "Required value: must specify a positive target averageValue");
    }

    private static void ValidateObject(ObjectMetricSource source, string path, FieldErrors errors)
    {
        if (source.DescribedObject?.Kind is not { Length: > 0 }) errors.Invalid(path + ".describedObject.kind", "Required value");
        if (source.DescribedObject?.Name is not { Length: > 0 }) errors.Invalid(path + ".describedObject.name", "Required value");
        ValidateIdentifier(source.Metric, path + ".metric", errors);
        if (source.Target is not { } target) { errors.Invalid(path + ".target", "Required value: must specify a metric target"); return; }
        ValidateMetricTarget(target, path + ".target", errors);
        if (target.Value is null && target.AverageValue is null)
            errors.Invalid(path + ".target.averageValue", "Required value: must set either a target value or averageValue");
    }

    private static void ValidateIdentifier(MetricIdentifier? metric, string path, FieldErrors errors)
    {
        if (metric?.Name is not { Length: > 0 }) errors.Invalid(path + ".name", "Required value: must specify a metric name");
        if (metric?.Selector is { } selector && (selector.MatchLabels?.Count ?? 0) + (selector.MatchExpressions?.Count ?? 0) > 0)
            SelectorValidator.Validate(selector, path + ".selector", errors);
    }

    private static void ValidateResource(ResourceMetricSource source, string path, FieldErrors errors)
    {
        if (source.Name is not { Length: > 0 }) errors.Invalid(path + ".name", "Required value: must specify a resource name");
        if (source.Target is not { } target) { errors.Invalid(path + ".target", "Required value: must specify a metric target"); return; }
        ValidateMetricTarget(target, path + ".target", errors);
        if (target.AverageUtilization is null && target.AverageValue is null)
            errors.Invalid(path + ".target.averageUtilization", "Required value: must set either a target raw value or a target utilization");
        if (target.AverageUtilization is not null && target.AverageValue is not null)
            errors.Invalid(path + ".target.averageValue", "Forbidden: may not set both a target raw value and a target utilization");
    }

    private static void ValidateMetricTarget(MetricTarget target, string path, FieldErrors errors)
    {
        if (target.Type is not { Length: > 0 } type) errors.Invalid(path + ".type", "Required value: must specify a metric target type");
        else if (!TargetTypes.Contains(type))
            errors.Invalid(path + ".type", $"Invalid value: \"{type}\": must be either Utilization, Value, or AverageValue");
        if (target.AverageUtilization is { } u && u <= 0) errors.Invalid(path + ".averageUtilization", $"Invalid value: {u}: must be greater than 0");
        if (target.Value is { } v && !(Quantity.TryParse(v, out var value) && value > 0)) errors.Invalid(path + ".value", $"Invalid value: \"{v}\": must be positive");
        if (target.AverageValue is { } av && !(Quantity.TryParse(av, out var average) && average > 0))
            errors.Invalid(path + ".averageValue", $"Invalid value: \"{av}\": must be positive");
    }

    private static void ValidateRules(HpaScalingRules? rules, string path, FieldErrors errors)
    {
        if (rules is null) return;
        if (rules.StabilizationWindowSeconds is { } w)
        {
            if (w < 0) errors.Invalid(path + ".stabilizationWindowSeconds", $"Invalid value: {w}: must be greater than or equal to zero");
            else if (w > MaxStabilizationWindowSeconds)
                errors.Invalid(path + ".stabilizationWindowSeconds", $"Invalid value: {w}: must be less than or equal to {MaxStabilizationWindowSeconds}");
        }
        if (rules.SelectPolicy is { } select && select is not ("Max" or "Min" or "Disabled"))
            errors.Invalid(path + ".selectPolicy", $"Unsupported value: \"{select}\": supported values: \"Disabled\", \"Max\", \"Min\"");
        if (rules.Policies is not { Count: > 0 } policies) { errors.Invalid(path + ".policies", "Required value: must specify at least one Policy"); return; }
        for (var i = 0; i < policies.Count; i++)
        {
            var p = policies[i];
            var at = $"{path}.policies[{i}]";
            if (p.Type is not ("Pods" or "Percent")) errors.Invalid(at + ".type", $"Unsupported value: \"{p.Type}\": supported values: \"Percent\", \"Pods\"");
            if (p.Value <= 0) errors.Invalid(at + ".value", $"Invalid value: {p.Value}: must be greater than zero");
            if (p.PeriodSeconds <= 0) errors.Invalid(at + ".periodSeconds", $"Invalid value: {p.PeriodSeconds}: must be greater than zero");
            else if (p.PeriodSeconds > MaxPeriodSeconds) errors.Invalid(at + ".periodSeconds", $"Invalid value: {p.PeriodSeconds}: must be less than or equal to {MaxPeriodSeconds}");
        }
    }
}
