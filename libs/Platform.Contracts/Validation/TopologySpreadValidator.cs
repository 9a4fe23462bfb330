using Platform.Contracts.Resources;

namespace Platform.Contracts.Validation;

/// <summary><c>spec.topologySpreadConstraints</c>, with Kubernetes' messages.</summary>
public static class TopologySpreadValidator
{
    public static void Validate(IReadOnlyList<TopologySpreadConstraint?>? constraints, string path, FieldErrors errors)
    {
        var seen = new HashSet<(string?, string?)>();
        for (var i = 0; i < (constraints?.Count ?? 0); i++)
        {
            var c = constraints![i];
            var p = $"{path}[{i}]";
            if (c is null) { errors.Required(p); continue; }
            if (c.MaxSkew <= 0) errors.Invalid(p + ".maxSkew", $"Invalid value: {c.MaxSkew}: must be greater than zero");
            if (string.IsNullOrEmpty(c.TopologyKey)) errors.Required(p + ".topologyKey");
            if (c.WhenUnsatisfiable is not (null or "DoNotSchedule" or "ScheduleAnyway"))
                errors.Invalid(p + ".whenUnsatisfiable", $"Unsupported value: \"{c.WhenUnsatisfiable}\": supported values: \"DoNotSchedule\", \"ScheduleAnyway\"");
            else if (!seen.Add((c.TopologyKey, c.WhenUnsatisfiable)))
                errors.Invalid(p + ".{topologyKey, whenUnsatisfiable}", $"Duplicate value: \"{{{c.TopologyKey}, {c.WhenUnsatisfiable}}}\"");
            Policy(c.NodeAffinityPolicy, p + ".nodeAffinityPolicy", errors);
            Policy(c.NodeTaintsPolicy, p + ".nodeTaintsPolicy", errors);
        }
    }

    private static void Policy(string? value, string path, FieldErrors errors)
    {
        if (value is not (null or TopologySpreadConstraint.Honor or TopologySpreadConstraint.Ignore))
            errors.Invalid(path, $"Unsupported value: \"{value}\": supported values: \"Honor\", \"Ignore\"");
    }
}
