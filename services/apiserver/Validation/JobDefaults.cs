using Platform.Contracts.Resources;

namespace Platform.ApiServer.Validation;

/// <summary>Kubernetes' SetDefaults_Job and SetDefaults_CronJob, and the Job strategy's generated selector.</summary>
internal static class JobDefaults
{
    public static Job Apply(Job job)
    {
        var spec = job.Spec ?? new JobSpec();
        var manual = spec.ManualSelector == true;
        var template = Defaulter.DefaultTemplate(spec.Template, manual ? spec.Selector : null);
        var selector = spec.Selector;
        if (!manual && job.Metadata.Uid is { } uid && template is not null)
        {
            // The job strategy's generateSelector: pods carry the uid and the name, new and legacy keys; the selector
            // is the uid alone (a user's selector that is not this one is refused by validation).
            var labels = new Dictionary<string, string>(template.Metadata?.Labels ?? []);
            labels.TryAdd(Job.ControllerUidLabel, uid);
            labels.TryAdd(Job.LegacyControllerUidLabel, uid);
            if (job.Metadata.Name is { } name)
            {
                labels.TryAdd(Job.JobNameLabel, name);
                labels.TryAdd(Job.LegacyJobNameLabel, name);
            }
            template = template with { Metadata = (template.Metadata ?? new ObjectMeta()) with { Labels = labels } };
            selector ??= new LabelSelector { MatchLabels = new() { [Job.ControllerUidLabel] = uid } };
        }
        var both = spec.Completions is null && spec.Parallelism is null;
        return job with
        {
            Spec = spec with
            {
                Completions = both ? 1 : spec.Completions,
                Parallelism = spec.Parallelism ?? 1,
                BackoffLimit = spec.BackoffLimit ?? 6,
                CompletionMode = spec.CompletionMode ?? "NonIndexed",
                Suspend = spec.Suspend ?? false,
                Selector = selector,
                Template = template,
            },
        };
    }

    public static CronJob Apply(CronJob cj)
    {
        var spec = cj.Spec ?? new CronJobSpec();
        var jobSpec = spec.JobTemplate?.Spec;
        return cj with
        {
            Spec = spec with
            {
                ConcurrencyPolicy = spec.ConcurrencyPolicy ?? "Allow",
                Suspend = spec.Suspend ?? false,
                SuccessfulJobsHistoryLimit = spec.SuccessfulJobsHistoryLimit ?? 3,
                FailedJobsHistoryLimit = spec.FailedJobsHistoryLimit ?? 1,
                JobTemplate = spec.JobTemplate is null ? null : spec.JobTemplate with
                {
                    Spec = jobSpec is null ? null : jobSpec with { Template = Defaulter.DefaultTemplate(jobSpec.Template, null) },
                },
            },
        };
    }
}
