using Platform.ApiServer.Problems;

namespace Platform.ApiServer.PodSecurity;

/// <summary>What a namespace's pods are held to: the enforce, audit and warn level-versions (Kubernetes' <c>api.Policy</c>).</summary>
internal sealed record NamespacePolicy(LevelVersion Enforce, LevelVersion Audit, LevelVersion Warn)
{
    public bool FullyPrivileged => Enforce.Level == Level.Privileged && Audit.Level == Level.Privileged && Warn.Level == Level.Privileged;

    public bool Equivalent(NamespacePolicy other) => Enforce.Equivalent(other.Enforce) && Audit.Equivalent(other.Audit) && Warn.Equivalent(other.Warn);

    /// <summary>
    /// The policy the labels choose over <paramref name="defaults"/>, as kube-apiserver reads them: an invalid enforce
    /// level fails closed (restricted), invalid audit and warn levels fail open (privileged), an invalid version is
    /// latest; each invalid label is an error naming it. Without a warn label, warn follows a stricter enforce label.
    /// </summary>
    public static NamespacePolicy FromLabels(IReadOnlyDictionary<string, string>? labels, NamespacePolicy defaults, out List<FieldError> errors)
    {
        errors = [];
        if (labels is null || labels.Count == 0) return defaults;
        var (enforce, audit, warn) = (defaults.Enforce, defaults.Audit, defaults.Warn);
        var hasEnforceLevel = false;
        if (labels.TryGetValue(PodSecurityLabels.Enforce, out var e))
        {
            hasEnforceLevel = LevelVersion.TryParseLevel(e, out var level);
            if (!hasEnforceLevel) errors.Add(LevelError(PodSecurityLabels.Enforce, e));
            enforce = enforce with { Level = level };
        }
        enforce = WithVersion(enforce, labels, PodSecurityLabels.EnforceVersion, errors);
        if (labels.TryGetValue(PodSecurityLabels.Audit, out var a))
        {
            if (!LevelVersion.TryParseLevel(a, out var level)) { errors.Add(LevelError(PodSecurityLabels.Audit, a)); level = Level.Privileged; }
            audit = audit with { Level = level };
        }
        audit = WithVersion(audit, labels, PodSecurityLabels.AuditVersion, errors);
        var hasWarnLevel = labels.TryGetValue(PodSecurityLabels.Warn, out var w);
        if (hasWarnLevel)
        {
            if (!LevelVersion.TryParseLevel(w, out var level)) { errors.Add(LevelError(PodSecurityLabels.Warn, w)); level = Level.Privileged; }
            warn = warn with { Level = level };
        }
        var hasWarnVersion = labels.ContainsKey(PodSecurityLabels.WarnVersion);
        warn = WithVersion(warn, labels, PodSecurityLabels.WarnVersion, errors);
        if (!hasWarnLevel && hasEnforceLevel && enforce.Level > warn.Level)
            warn = hasWarnVersion ? warn with { Level = enforce.Level } : enforce;
        return new NamespacePolicy(enforce, audit, warn);
    }

    private static LevelVersion WithVersion(LevelVersion lv, IReadOnlyDictionary<string, string> labels, string label, List<FieldError> errors)
    {
        if (!labels.TryGetValue(label, out var text)) return lv;
        if (!PolicyVersion.TryParse(text, out var version))
            errors.Add(new FieldError($"metadata.labels[{label}]", $"Invalid value: \"{text}\": must be \"latest\" or \"v1.x\""));
        return lv with { Version = version };
    }

    private static FieldError LevelError(string label, string? value) =>
        new($"metadata.labels[{label}]", $"Invalid value: \"{value}\": must be one of {string.Join(", ", LevelVersion.LevelNames)}");
}
