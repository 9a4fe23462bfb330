using Microsoft.Extensions.Options;

namespace Platform.ConfigServer.Limits;

/// <summary>Reports every out-of-range limit at start, naming its configuration key.</summary>
internal sealed class DocumentLimitsOptionsValidator : IValidateOptions<DocumentLimitsOptions>
{
    public ValidateOptionsResult Validate(string? name, DocumentLimitsOptions o)
    {
        var errors = new List<string>();
        void AtLeast(string key, int value, int min)
        {
            if (value < min) errors.Add($"{DocumentLimitsOptions.Key(key)}: must be >= {min}");
        }
        AtLeast(nameof(o.MaxDocumentBytes), o.MaxDocumentBytes, 1024);
        // Parsers recurse once per level; past a few hundred levels a thread's stack is at risk again.
        AtLeast(nameof(o.MaxDepth), o.MaxDepth, 2);
        if (o.MaxDepth > 512) errors.Add($"{DocumentLimitsOptions.Key(nameof(o.MaxDepth))}: must be <= 512");
        AtLeast(nameof(o.MaxYamlAliases), o.MaxYamlAliases, 0);
        AtLeast(nameof(o.MaxYamlNodes), o.MaxYamlNodes, 1);
        AtLeast(nameof(o.MaxFlattenedLength), o.MaxFlattenedLength, 1024);
        AtLeast(nameof(o.MaxPlaceholderDepth), o.MaxPlaceholderDepth, 1);
        if (o.MaxPlaceholderDepth > 512) errors.Add($"{DocumentLimitsOptions.Key(nameof(o.MaxPlaceholderDepth))}: must be <= 512");
        AtLeast(nameof(o.MaxResolvedValueLength), o.MaxResolvedValueLength, 1024);
        if (o.MaxResolvedTotalLength < o.MaxResolvedValueLength)
            errors.Add($"{DocumentLimitsOptions.Key(nameof(o.MaxResolvedTotalLength))}: must be >= {DocumentLimitsOptions.Key(nameof(o.MaxResolvedValueLength))}");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
