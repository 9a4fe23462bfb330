using System.Text.RegularExpressions;
using Platform.Contracts.Resources;

namespace Platform.Contracts.Validation;

/// <summary><c>envFrom</c> and <c>valueFrom.fieldRef</c>, with Kubernetes' messages.</summary>
public static partial class EnvSourceValidator
{
    /// <summary>The downward API's env fields (labels and annotations take a key in brackets).</summary>
    public static readonly string[] FieldPaths =
        ["metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName", "status.hostIP", "status.podIP"];

    public static void ValidateFieldRef(ObjectFieldSelector field, string path, FieldErrors errors)
    {
        if (field.ApiVersion is { Length: > 0 } v && v != "v1") errors.Invalid(path + ".apiVersion", $"Unsupported value: \"{v}\": supported values: \"v1\"");
        if (string.IsNullOrEmpty(field.FieldPath)) { errors.Required(path + ".fieldPath"); return; }
        if (FieldPaths.Contains(field.FieldPath) || LabelOrAnnotation().IsMatch(field.FieldPath)) return;
        errors.Invalid(path + ".fieldPath", $"Unsupported value: \"{field.FieldPath}\": supported values: " +
            string.Join(", ", FieldPaths.Select(f => $"\"{f}\"")) + ", \"metadata.labels['<key>']\", \"metadata.annotations['<key>']\"");
    }

    public static void ValidateEnvFrom(IReadOnlyList<EnvFromSource?>? sources, string path, FieldErrors errors)
    {
        for (var i = 0; i < (sources?.Count ?? 0); i++)
        {
            var s = sources![i];
            var p = $"{path}[{i}]";
            if (s is null) { errors.Required(p); continue; }
            if ((s.ConfigMapRef is null) == (s.SecretRef is null)) errors.Invalid(p, "may not have more than one field specified at a time");
            if (s.ConfigMapRef is { Name: null or "" }) errors.Required(p + ".configMapRef.name");
            if (s.SecretRef is { Name: null or "" }) errors.Required(p + ".secretRef.name");
            if (s.Prefix is { Length: > 0 } prefix && !Prefix().IsMatch(prefix))
                errors.Invalid(p + ".prefix", $"Invalid value: \"{prefix}\": a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit");
        }
    }

    [GeneratedRegex(@"^metadata\.(labels|annotations)\['[^']{1,253}'\]$")]
    private static partial Regex LabelOrAnnotation();

    [GeneratedRegex(@"^[-._a-zA-Z][-._a-zA-Z0-9]*$")]
    private static partial Regex Prefix();
}
