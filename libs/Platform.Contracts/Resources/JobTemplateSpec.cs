namespace Platform.Contracts.Resources;

/// <summary>The Job a CronJob creates: its labels and annotations, and its spec.</summary>
public sealed record JobTemplateSpec
{
    public ObjectMeta? Metadata { get; init; }
    public JobSpec? Spec { get; init; }
}
