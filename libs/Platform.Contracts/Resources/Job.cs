namespace Platform.Contracts.Resources;

/// <summary><c>apiVersion: batch/v1</c>, <c>kind: Job</c>: pods run to completion, retried up to <c>backoffLimit</c>.</summary>
public sealed record Job : Resource
{
    /// <summary>The label and annotation holding a pod's completion index (Indexed Jobs).</summary>
    public const string CompletionIndexLabel = "batch.kubernetes.io/job-completion-index";
    /// <summary>The label naming the Job's uid on its pods (and in its generated selector).</summary>
    public const string ControllerUidLabel = "batch.kubernetes.io/controller-uid";
    /// <summary>The label naming the Job on its pods.</summary>
    public const string JobNameLabel = "batch.kubernetes.io/job-name";
    /// <summary>The pre-1.27 spelling of <see cref="ControllerUidLabel"/>, still written by Kubernetes.</summary>
    public const string LegacyControllerUidLabel = "controller-uid";
    /// <summary>The pre-1.27 spelling of <see cref="JobNameLabel"/>, still written by Kubernetes.</summary>
    public const string LegacyJobNameLabel = "job-name";

    /// <summary>The desired state.</summary>
    public JobSpec Spec { get; init; } = new();
    /// <summary>The observed state, written by the job controller.</summary>
    public JobStatus? Status { get; init; }
}
