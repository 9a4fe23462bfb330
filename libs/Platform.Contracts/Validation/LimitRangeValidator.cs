using Platform.Contracts.Resources;

namespace Platform.Contracts.Validation;

/// <summary>
/// Kubernetes' ValidateLimitRange on the defaulted object: types <c>Container</c> and <c>Pod</c> (each once), quantities,
/// no defaults for <c>Pod</c>, and per resource min ≤ defaultRequest ≤ default ≤ max and a ratio of at least 1 that
/// max/min can reach. Messages are Kubernetes' (<c>min value 2 is greater than max value 1</c>).
/// </summary>
public static class LimitRangeValidator
{
    private static readonly string[] Types = ["Container", "Pod"];

    public static void Validate(LimitRange range, FieldErrors errors)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < (range.Spec?.Limits?.Count ?? 0); i++)
        {
            var p = $"spec.limits[{i}]";
            if (range.Spec!.Limits![i] is not { } item) { errors.Required(p); continue; }
            if (string.IsNullOrEmpty(item.Type)) errors.Required(p + ".type");
            else if (!Types.Contains(item.Type)) errors.Invalid(p + ".type", $"Unsupported value: \"{item.Type}\": supported values: \"Container\", \"Pod\"");
            else if (!seen.Add(item.Type)) errors.Invalid(p + ".type", $"Duplicate value: \"{item.Type}\"");
            if (item.Type == "Pod")
            {
                if (item.Default is { Count: > 0 }) errors.Invalid(p + ".default", "Forbidden: may not be specified when `type` is 'Pod'");
                if (item.DefaultRequest is { Count: > 0 }) errors.Invalid(p + ".defaultRequest", "Forbidden: may not be specified when `type` is 'Pod'");
            }
            var lists = new (string Name, ResourceList? List)[]
            {
                ("max", item.Max), ("min", item.Min), ("default", item.Default), ("defaultRequest", item.DefaultRequest), ("maxLimitRequestRatio", item.MaxLimitRequestRatio),
            };
            var values = new Dictionary<(string List, string Resource), (decimal Value, string Text)>();
            foreach (var (name, list) in lists)
            {
                foreach (var (resource, text) in list ?? [])
                {
                    var path = $"{p}.{name}.{resource}";
                    if (!IsResourceName(resource)) errors.Invalid(path, "must be a standard resource type (cpu, memory, ephemeral-storage) or fully qualified");
                    if (!Quantity.TryParse(text, out var q)) errors.Invalid(path, $"'{text}' is not a quantity (examples: 100m, 0.5, 128Mi, 1G)");
                    else if (q < 0) errors.Invalid(path, "must be >= 0");
                    else values[(name, resource)] = (q, text);
                }
            }
            foreach (var resource in values.Keys.Select(k => k.Resource).Distinct().Order(StringComparer.Ordinal))
                CheckOrder(p, resource, name => values.TryGetValue((name, resource), out var v) ? v : null, errors);
        }
    }

    private static void CheckOrder(string p, string resource, Func<string, (decimal Value, string Text)?> get, FieldErrors errors)
    {
        var (min, max, dflt, request, ratio) = (get("min"), get("max"), get("default"), get("defaultRequest"), get("maxLimitRequestRatio"));
        if (min is { } a && max is { } b && a.Value > b.Value)
            errors.Invalid($"{p}.min.{resource}", $"min value {a.Text} is greater than max value {b.Text}");
        if (request is { } r)
        {
            if (min is { } m && m.Value > r.Value) errors.Invalid($"{p}.defaultRequest.{resource}", $"min value {m.Text} is greater than default request value {r.Text}");
            if (max is { } x && r.Value > x.Value) errors.Invalid($"{p}.defaultRequest.{resource}", $"default request value {r.Text} is greater than max value {x.Text}");
            if (dflt is { } d && r.Value > d.Value) errors.Invalid($"{p}.defaultRequest.{resource}", $"default request value {r.Text} is greater than default limit value {d.Text}");
        }
        if (dflt is { } l)
        {
            if (min is { } m && m.Value > l.Value) errors.Invalid($"{p}.default.{resource}", $"min value {m.Text} is greater than default value {l.Text}");
            if (max is { } x && l.Value > x.Value) errors.Invalid($"{p}.default.{resource}", $"default value {l.Text} is greater than max value {x.Text}");
        }
        if (ratio is { } q)
        {
            if (q.Value < 1) errors.Invalid($"{p}.maxLimitRequestRatio.{resource}", $"ratio {q.Text} is less than 1");
            else if (min is { Value: > 0 } lo && max is { } hi && (double)hi.Value / (double)lo.Value is var reach && (double)q.Value > reach)
                errors.Invalid($"{p}.maxLimitRequestRatio.{resource}", FormattableString.Invariant($"ratio {q.Text} is greater than max/min = {reach:0.000000}"));
        }
    }

    /// <summary>What containers may request: cpu, memory, ephemeral-storage, or an extended resource (<c>example.com/gpu</c>).</summary>
    private static bool IsResourceName(string name) =>
        name is "cpu" or "memory" or "ephemeral-storage" || (name.Contains('/', StringComparison.Ordinal) && LabelNames.IsValidKey(name));
}
