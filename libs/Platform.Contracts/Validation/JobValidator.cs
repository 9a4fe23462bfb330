using Platform.Contracts.Resources;

namespace Platform.Contracts.Validation;

/// <summary>Job and CronJob as Kubernetes' batch validation checks them, with its messages.</summary>
public static class JobValidator
{
    private static void NonNegative(long? value, string path, FieldErrors errors)
    {
        if (value < 0) errors.Invalid(path, $"Invalid value: {value}: must be greater than or equal to 0");
    }

    public static void ValidateJob(Job job, FieldErrors errors)
    {
        var spec = job.Spec;
        if (spec is null) { errors.Required("spec"); return; }
        ValidateSpec(spec, "spec", errors);
        var parsed = SelectorValidator.Validate(spec.Selector, "spec.selector", errors);
        if (spec.ManualSelector != true && spec.Selector is not null && job.Metadata.Uid is { } uid
            && spec.Selector.MatchLabels?.GetValueOrDefault(Job.ControllerUidLabel) != uid)
            errors.Invalid("spec.selector", $"Invalid value: \"{Selector.FromLabelSelector(spec.Selector)}\": `selector` not auto-generated");
        if (spec.Template is not null) SelectorValidator.ValidateTemplateLabels(parsed, spec.Template, "spec.template", errors);
    }

    /// <summary>A Job's spec or a CronJob's job template spec at <paramref name="path"/> (the selector is checked by the caller).</summary>
    public static void ValidateSpec(JobSpec spec, string path, FieldErrors errors)
    {
        NonNegative(spec.Parallelism, path + ".parallelism", errors);
        NonNegative(spec.Completions, path + ".completions", errors);
        NonNegative(spec.BackoffLimit, path + ".backoffLimit", errors);
        if (spec.ActiveDeadlineSeconds is { } ads and <= 0) errors.Invalid(path + ".activeDeadlineSeconds", $"Invalid value: {ads}: must be greater than 0");
        NonNegative(spec.TtlSecondsAfterFinished, path + ".ttlSecondsAfterFinished", errors);
        if (spec.CompletionMode is { } mode && mode is not ("NonIndexed" or "Indexed"))
            errors.Invalid(path + ".completionMode", $"Unsupported value: \"{mode}\": supported values: \"NonIndexed\", \"Indexed\"");
        if (spec.CompletionMode == "Indexed")
        {
            if (spec.Completions is null) errors.Invalid(path + ".completions", "Required value: when completion mode is Indexed");
            if (spec.Parallelism > 100_000) errors.Invalid(path + ".parallelism", $"Invalid value: {spec.Parallelism}: must be less than or equal to 100000 when completion mode is Indexed");
        }
        if (spec.Template is null) { errors.Required(path + ".template"); return; }
        PodSpecValidator.Validate(spec.Template.Spec, path + ".template.spec", errors);
        var restart = spec.Template.Spec?.RestartPolicy;
        if (restart is not ("OnFailure" or "Never"))
            errors.Invalid(path + ".template.spec.restartPolicy", $"Unsupported value: \"{restart}\": supported values: \"OnFailure\", \"Never\"");
        if (spec.PodFailurePolicy is { } policy)
        {
            if (restart is not null and not "Never")
                errors.Invalid(path + ".template.spec.restartPolicy", $"Invalid value: \"{restart}\": only \"Never\" is supported when podFailurePolicy is specified");
            ValidatePodFailurePolicy(policy, spec, path + ".podFailurePolicy", errors);
        }
    }

    private static void ValidatePodFailurePolicy(PodFailurePolicy policy, JobSpec spec, string path, FieldErrors errors)
    {
        var containers = (spec.Template?.Spec?.Containers ?? []).Concat(spec.Template?.Spec?.InitContainers ?? []).Select(c => c?.Name).ToHashSet();
        var rules = policy.Rules ?? [];
        if (rules.Count > 20) errors.Invalid(path + ".rules", "Too many: must have at most 20 items");
        for (var i = 0; i < rules.Count; i++)
        {
            var rule = rules[i];
            var p = $"{path}.rules[{i}]";
            if (rule is null) { errors.Required(p); continue; }
            if (rule.Action is null) errors.Required(p + ".action");
            else if (rule.Action is not ("FailJob" or "FailIndex" or "Ignore" or "Count"))
                errors.Invalid(p + ".action", $"Unsupported value: \"{rule.Action}\": supported values: \"Count\", \"FailIndex\", \"FailJob\", \"Ignore\"");
            else if (rule.Action == "FailIndex" && spec.CompletionMode != "Indexed")
                errors.Invalid(p + ".action", "Unsupported value: \"FailIndex\": supported values: \"Count\", \"FailJob\", \"Ignore\"");
            if (rule.OnExitCodes is null && rule.OnPodConditions is null)
                errors.Invalid(p, "specifying one of OnExitCodes and OnPodConditions is required");
            else if (rule.OnExitCodes is not null && rule.OnPodConditions is not null)
                errors.Invalid(p, "specifying both OnExitCodes and OnPodConditions is not supported");
            if (rule.OnExitCodes is { } codes) ValidateExitCodes(codes, containers, p + ".onExitCodes", errors);
            for (var j = 0; j < (rule.OnPodConditions?.Count ?? 0); j++)
            {
                var pattern = rule.OnPodConditions![j];
                var cp = $"{p}.onPodConditions[{j}]";
                if (string.IsNullOrEmpty(pattern?.Type)) errors.Required(cp + ".type");
                if (pattern?.Status is { } st && st is not ("True" or "False" or "Unknown"))
                    errors.Invalid(cp + ".status", $"Unsupported value: \"{st}\": supported values: \"False\", \"True\", \"Unknown\"");
            }
        }
    }

    private static void ValidateExitCodes(PodFailurePolicyOnExitCodesRequirement codes, HashSet<string?> containers, string path, FieldErrors errors)
    {
        if (codes.ContainerName is { } name && !containers.Contains(name))
            errors.Invalid(path + ".containerName", $"\"{name}\": must be one of the container or initContainer names in the pod template");
        if (codes.Operator is not ("In" or "NotIn"))
            errors.Invalid(path + ".operator", $"Unsupported value: \"{codes.Operator}\": supported values: \"In\", \"NotIn\"");
        var values = codes.Values ?? [];
        if (values.Count == 0) errors.Invalid(path + ".values", "at least one value is required");
        if (values.Count > 255) errors.Invalid(path + ".values", "Too many: must have at most 255 items");
        for (var k = 0; k < values.Count; k++)
        {
            var vp = $"{path}.values[{k}]";
            if (k > 0 && values[k] == values[k - 1]) errors.Invalid(vp, $"{values[k]}: duplicate value");
            else if (k > 0 && values[k] < values[k - 1]) errors.Invalid(vp, $"{values[k]}: must be ordered");
            if (codes.Operator == "In" && values[k] == 0) errors.Invalid(vp, "0: must not be 0 for the In operator");
        }
    }

    public static void ValidateCronJob(CronJob cj, FieldErrors errors)
    {
        if (cj.Metadata.Name is { Length: > 52 } name) errors.Invalid("metadata.name", $"Invalid value: \"{name}\": must be no more than 52 characters");
        var spec = cj.Spec;
        if (spec is null) { errors.Required("spec"); return; }
        if (string.IsNullOrEmpty(spec.Schedule)) errors.Required("spec.schedule");
        else
        {
            if (CronSyntax.Expand(spec.Schedule, out var error) is null) errors.Invalid("spec.schedule", $"Invalid value: \"{spec.Schedule}\": {error}");
            if (spec.Schedule.Contains("TZ", StringComparison.Ordinal))
                errors.Invalid("spec.schedule", $"Invalid value: \"{spec.Schedule}\": cannot use TZ or CRON_TZ in schedule, use timeZone field instead");
        }
        if (spec.TimeZone is { } tz && !KnownTimeZone(tz))
            errors.Invalid("spec.timeZone", tz.Length == 0 ? "Invalid value: \"\": timeZone must be nil or non-empty string" : $"Invalid value: \"{tz}\": unknown time zone {tz}");
        if (spec.ConcurrencyPolicy is null) errors.Invalid("spec.concurrencyPolicy", "Required value");
        else if (spec.ConcurrencyPolicy is not ("Allow" or "Forbid" or "Replace"))
            errors.Invalid("spec.concurrencyPolicy", $"Unsupported value: \"{spec.ConcurrencyPolicy}\": supported values: \"Allow\", \"Forbid\", \"Replace\"");
        NonNegative(spec.StartingDeadlineSeconds, "spec.startingDeadlineSeconds", errors);
        NonNegative(spec.SuccessfulJobsHistoryLimit, "spec.successfulJobsHistoryLimit", errors);
        NonNegative(spec.FailedJobsHistoryLimit, "spec.failedJobsHistoryLimit", errors);
        if (spec.JobTemplate?.Spec is not { } jobSpec) { errors.Required("spec.jobTemplate.spec"); return; }
        MetadataValidator.ValidateLabels(spec.JobTemplate.Metadata?.Labels, "spec.jobTemplate.metadata.labels", errors);
        ValidateSpec(jobSpec, "spec.jobTemplate.spec", errors);
    }

    /// <summary>An IANA zone name the machine knows (Kubernetes loads it from the tz database); <c>Local</c> is refused.</summary>
    public static bool KnownTimeZone(string tz)
    {
        if (tz.Length == 0 || tz == "Local" || tz.Contains("..", StringComparison.Ordinal) || tz.StartsWith('/')) return false;
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(tz) is not null;
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return false;
        }
    }

    /// <summary>What may not change once a Job exists.</summary>
    public static void ValidateUpdate(Job job, Job old, FieldErrors errors)
    {
        if (job.Spec?.CompletionMode != old.Spec.CompletionMode) errors.Immutable("spec.completionMode");
        if (job.Spec?.CompletionMode != "Indexed" && job.Spec?.Completions != old.Spec.Completions) errors.Immutable("spec.completions");
    }
}
