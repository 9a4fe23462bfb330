namespace Platform.Contracts.Resources;

public sealed record PodTemplateSpec
{
    /// <summary>The labels and annotations of the pods created from this template.</summary>
    public ObjectMeta? Metadata { get; init; }
    /// <summary>The pods' specification.</summary>
    public PodSpec? Spec { get; init; }
}
