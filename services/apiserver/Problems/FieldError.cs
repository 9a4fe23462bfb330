namespace Platform.ApiServer.Problems;

/// <summary>One invalid field: <c>spec.template.spec.containers[0].image</c> and why (<c>required</c>).</summary>
public sealed record FieldError(string Field, string Reason)
{
    public override string ToString() => $"{Field}: {Reason}";
}
