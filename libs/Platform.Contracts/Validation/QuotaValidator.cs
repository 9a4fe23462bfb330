using Platform.Contracts.Quota;
using Platform.Contracts.Resources;

namespace Platform.Contracts.Validation;

/// <summary>
/// A ResourceQuota's <c>spec.hard</c>: names the quota can enforce (<see cref="QuotaResourceNames"/>), each a
/// non-negative quantity, and a whole number for object counts, as Kubernetes requires.
/// </summary>
public static class QuotaValidator
{
    private static string Supported { get; } =
        $"supported: {string.Join(", ", QuotaResourceNames.StandardNames)}, or {QuotaResourceNames.CountPrefix}<resource> of a namespaced kind " +
        $"({string.Join(", ", ResourceKinds.All.Where(k => k.Namespaced).Select(QuotaResourceNames.CountOf).Take(3))} ...)";

    public static void Validate(ResourceQuota q, FieldErrors errors)
    {
        if (q.Spec?.Hard is null || q.Spec.Hard.Count == 0) { errors.Required("spec.hard"); return; }
        foreach (var (name, text) in q.Spec.Hard)
        {
            var path = $"spec.hard.{name}";
            if (QuotaResourceNames.KindOf(name) is null) errors.Invalid(path, $"unsupported resource; {Supported}");
            if (!Quantity.TryParse(text, out var value)) errors.Invalid(path, $"'{text}' is not a quantity (examples: 100m, 0.5, 128Mi, 1G)");
            else if (value < 0) errors.Invalid(path, "must be >= 0");
            else if (QuotaResourceNames.IsInteger(name) && value != decimal.Truncate(value)) errors.Invalid(path, $"'{text}': must be an integer");
        }
    }
}
