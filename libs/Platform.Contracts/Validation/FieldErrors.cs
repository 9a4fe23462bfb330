
namespace Platform.Contracts.Validation;

/// <summary>Collects every invalid field of one object so the client sees all of them in one answer.</summary>
public sealed class FieldErrors : List<FieldError>
{
    public void Required(string path) => Add(new FieldError(path, "required"));

    public void Invalid(string path, string reason) => Add(new FieldError(path, reason));

    public void Immutable(string path) => Add(new FieldError(path, "field is immutable"));
}
