namespace Platform.Contracts.Resources;

/// <summary>
/// An entry of <c>spec.volumeClaimTemplates</c>: a PersistentVolumeClaim's metadata and spec, from which a claim per
/// ordinal is made (see <c>StatefulSetClaims</c> for names and the pod volume it becomes).
/// </summary>
public sealed record StatefulSetClaimTemplate
{
    public string? ApiVersion { get; init; }
    public string? Kind { get; init; }
    /// <summary><c>metadata.name</c> is the volume name the template's volumeMounts use.</summary>
    public ObjectMeta Metadata { get; init; } = new();
    public StatefulSetClaimTemplateSpec? Spec { get; init; }
}
