using Platform.Contracts.Resources;

namespace Platform.Contracts.Validation;

/// <summary>What a kind's names must look like.</summary>
public enum NameRule
{
    /// <summary>Most kinds: dot-separated DNS-1123 labels, at most 253 characters.</summary>
    Dns1123Subdomain,
    /// <summary>Namespaces and Services, whose names become DNS labels.</summary>
    Dns1123Label,
    /// <summary>RBAC's roles and bindings (<c>system:aggregate-to-edit</c>): anything that is one URL path segment.</summary>
    PathSegment,
}

public static class MetadataValidator
{
    private const int MaxAnnotationBytes = 256 * 1024;

    /// <summary>Validates client-settable metadata; <paramref name="names"/> is the kind's rule for <c>metadata.name</c>.</summary>
    public static void Validate(ObjectMeta? meta, NameRule names, FieldErrors errors)
    {
        if (meta is null)
        {
            errors.Required("metadata");
            return;
        }
        if (string.IsNullOrEmpty(meta.Name)) errors.Required("metadata.name");
        else if (names == NameRule.PathSegment)
        {
            if (!LabelNames.IsPathSegmentName(meta.Name))
                errors.Invalid("metadata.name", "must be at most 253 characters without '/' or '%' and not '.' or '..'");
        }
        else ValidateName(meta.Name, names == NameRule.Dns1123Label, "metadata.name", errors);
        ValidateLabels(meta.Labels, "metadata.labels", errors);
        if (meta.Annotations is { } annotations)
        {
            var size = 0;
            foreach (var (k, v) in annotations)
            {
                if (!LabelNames.IsValidKey(k)) errors.Invalid($"metadata.annotations[{k}]", "key must be a qualified name (optional DNS prefix and '/', then at most 63 alphanumerics, '-', '_' or '.')");
                size += k.Length + (v?.Length ?? 0);
            }
            if (size > MaxAnnotationBytes) errors.Invalid("metadata.annotations", $"total size {size} exceeds {MaxAnnotationBytes} bytes");
        }
        for (var i = 0; i < (meta.OwnerReferences?.Count ?? 0); i++)
        {
            var o = meta.OwnerReferences![i];
            var p = $"metadata.ownerReferences[{i}]";
            if (o is null) { errors.Required(p); continue; }
            if (string.IsNullOrEmpty(o.ApiVersion)) errors.Required(p + ".apiVersion");
            if (string.IsNullOrEmpty(o.Kind)) errors.Required(p + ".kind");
            if (string.IsNullOrEmpty(o.Name)) errors.Required(p + ".name");
            if (string.IsNullOrEmpty(o.Uid)) errors.Required(p + ".uid");
            else if (!Guid.TryParse(o.Uid, out _)) errors.Invalid(p + ".uid", "must be a UUID (the owner's metadata.uid)");
        }
        if ((meta.OwnerReferences?.Count(o => o?.Controller == true) ?? 0) > 1) errors.Invalid("metadata.ownerReferences", "only one reference can have controller set to true");
        for (var i = 0; i < (meta.Finalizers?.Count ?? 0); i++)
            if (!LabelNames.IsValidKey(meta.Finalizers![i])) errors.Invalid($"metadata.finalizers[{i}]", "must be a qualified name such as example.com/cleanup");
    }

    public static void ValidateName(string name, bool dnsLabel, string path, FieldErrors errors)
    {
        if (dnsLabel && !LabelNames.IsDns1123Label(name))
            errors.Invalid(path, "must be a DNS-1123 label: at most 63 lower-case letters, digits or '-', starting and ending with a letter or digit");
        else if (!dnsLabel && !LabelNames.IsDns1123Subdomain(name))
            errors.Invalid(path, "must be a DNS-1123 subdomain: at most 253 lower-case letters, digits, '-' or '.', starting and ending with a letter or digit");
    }

    public static void ValidateLabels(IReadOnlyDictionary<string, string>? labels, string path, FieldErrors errors)
    {
        foreach (var (k, v) in labels ?? new Dictionary<string, string>())
        {
            if (!LabelNames.IsValidKey(k)) errors.Invalid($"{path}[{k}]", "key must be a qualified name (optional DNS prefix and '/', then at most 63 alphanumerics, '-', '_' or '.')");
            if (!LabelNames.IsValidValue(v)) errors.Invalid($"{path}[{k}]", "value must be empty or at most 63 alphanumerics, '-', '_' or '.', starting and ending alphanumeric");
        }
    }

    public static void ValidateQuantities(IReadOnlyDictionary<string, string>? list, string path, FieldErrors errors)
    {
        foreach (var (k, v) in list ?? new Dictionary<string, string>())
        {
            if (!Quantity.TryParse(v, out var q)) errors.Invalid($"{path}.{k}", $"'{v}' is not a quantity (examples: 100m, 0.5, 128Mi, 1G)");
            else if (q < 0) errors.Invalid($"{path}.{k}", "must be >= 0");
        }
    }
}
