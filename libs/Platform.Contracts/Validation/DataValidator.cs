using System.Text.RegularExpressions;
using Platform.Contracts.Resources;

namespace Platform.Contracts.Validation;

/// <summary>ConfigMap and Secret keys and sizes.</summary>
public static partial class DataValidator
{
    private const int MaxBytes = 1024 * 1024;

    public static void ValidateConfigMap(ConfigMap cm, FieldErrors errors) => ValidateKeys(cm.Data, "data", errors, base64: false);

    public static void ValidateSecret(Secret s, FieldErrors errors)
    {
        ValidateKeys(s.Data, "data", errors, base64: true);
        ValidateKeys(s.StringData, "stringData", errors, base64: false);
        if (s.Type is { Length: > 253 }) errors.Invalid("type", "must be at most 253 characters");
    }

    private static void ValidateKeys(Dictionary<string, string>? data, string path, FieldErrors errors, bool base64)
    {
        var size = 0L;
        foreach (var (k, v) in data ?? [])
        {
            if (!Key().IsMatch(k) || k.Length > 253) errors.Invalid($"{path}[{k}]", "key must consist of letters, digits, '-', '_' or '.' (at most 253)");
            if (v is null) errors.Required($"{path}[{k}]");
            else if (base64 && !IsBase64(v)) errors.Invalid($"{path}[{k}]", "must be base64 (use stringData for plain text)");
            size += k.Length + (v?.Length ?? 0);
        }
        if (size > MaxBytes) errors.Invalid(path, $"total size {size} exceeds {MaxBytes} bytes");
    }

    private static bool IsBase64(string v)
    {
        var buffer = new byte[(v.Length * 3 / 4) + 3];
        return Convert.TryFromBase64String(v, buffer, out _);
    }

    [GeneratedRegex("^[-._a-zA-Z0-9]+$")]
    private static partial Regex Key();
}
