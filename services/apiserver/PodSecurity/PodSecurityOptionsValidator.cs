using Microsoft.Extensions.Options;
using Platform.Contracts.Resources;

namespace Platform.ApiServer.PodSecurity;

/// <summary>Reports every invalid <c>ApiServer:PodSecurity:*</c> setting by its configuration key.</summary>
internal sealed class PodSecurityOptionsValidator : IValidateOptions<PodSecurityOptions>
{
    public ValidateOptionsResult Validate(string? name, PodSecurityOptions o)
    {
        var errors = new List<string>();
        foreach (var (key, value) in new[] { ("DefaultEnforce", o.DefaultEnforce), ("DefaultWarn", o.DefaultWarn), ("DefaultAudit", o.DefaultAudit) })
            if (!LevelVersion.TryParseLevel(value, out _))
                errors.Add($"{PodSecurityOptions.Section}:{key}: '{value}' is not one of {string.Join(", ", LevelVersion.LevelNames)}");
        foreach (var (key, value) in new[] { ("DefaultEnforceVersion", o.DefaultEnforceVersion), ("DefaultWarnVersion", o.DefaultWarnVersion), ("DefaultAuditVersion", o.DefaultAuditVersion) })
            if (!PolicyVersion.TryParse(value, out _))
                errors.Add($"{PodSecurityOptions.Section}:{key}: '{value}' must be \"latest\" or \"v1.x\"");
        for (var i = 0; i < (o.ExemptNamespaces?.Count ?? 0); i++)
            if (!LabelNames.IsDns1123Label(o.ExemptNamespaces![i]))
                errors.Add($"{PodSecurityOptions.Section}:ExemptNamespaces:{i}: '{o.ExemptNamespaces[i]}' is not a namespace name (a DNS-1123 label)");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
