namespace Platform.Contracts.Validation;

/// <summary>
/// One invalid field: <c>spec.template.spec.containers[0].image</c> and why (<c>required</c>); <paramref name="Cause"/>
/// is the Kubernetes cause type when it is not the status's own (<c>FieldManagerConflict</c>).
/// </summary>
public sealed record FieldError(string Field, string Reason, string? Cause = null)
{
    public override string ToString() => $"{Field}: {Reason}";
}
