using Platform.Contracts.Resources;

namespace Platform.Contracts.Validation;

/// <summary>A workload's label selector (required, well-formed) and the template labels it must match.</summary>
public static class SelectorValidator
{
    /// <summary>Checks <paramref name="selector"/> at <c>{path}</c>; returns it parsed, or null when missing or invalid.</summary>
    public static Selector? Validate(LabelSelector? selector, string path, FieldErrors errors)
    {
        if (selector is null || ((selector.MatchLabels?.Count ?? 0) + (selector.MatchExpressions?.Count ?? 0)) == 0)
        {
            errors.Required(path);
            return null;
        }
        MetadataValidator.ValidateLabels(selector.MatchLabels, path + ".matchLabels", errors);
        for (var i = 0; i < (selector.MatchExpressions?.Count ?? 0); i++)
        {
            var e = selector.MatchExpressions![i];
            var p = $"{path}.matchExpressions[{i}]";
            if (e is null) { errors.Required(p); continue; }
            if (!LabelNames.IsValidKey(e.Key)) errors.Invalid(p + ".key", "must be a valid label key");
            if (e.Operator is not ("In" or "NotIn" or "Exists" or "DoesNotExist")) errors.Invalid(p + ".operator", $"'{e.Operator}' is not one of In, NotIn, Exists, DoesNotExist");
            if (e.Operator is "In" or "NotIn" && (e.Values?.Count ?? 0) == 0) errors.Invalid(p + ".values", "must have at least one value for In and NotIn");
            if (e.Operator is "Exists" or "DoesNotExist" && (e.Values?.Count ?? 0) > 0) errors.Invalid(p + ".values", "must be empty for Exists and DoesNotExist");
        }
        try { return Selector.FromLabelSelector(selector); } catch (FormatException) { return null; }
    }

    /// <summary>The template's labels at <c>{templatePath}.metadata.labels</c> are valid and matched by <paramref name="parsed"/>.</summary>
    public static void ValidateTemplateLabels(Selector? parsed, PodTemplateSpec template, string templatePath, FieldErrors errors)
    {
        MetadataValidator.ValidateLabels(template.Metadata?.Labels, templatePath + ".metadata.labels", errors);
        if (parsed is not null && !parsed.IsEmpty && !parsed.Matches(template.Metadata?.Labels))
            errors.Invalid(templatePath + ".metadata.labels", $"`selector` does not match template `labels` (selector: {parsed})");
    }
}
