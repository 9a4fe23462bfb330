global using Platform.Contracts.Validation;
using Platform.ApiServer.Problems;
using Platform.Contracts.Resources;

namespace Platform.ApiServer.Validation;

/// <summary>
/// The shared schema (<see cref="ResourceValidator"/> in Platform.Contracts, which consumers also check events against)
/// as the apiserver's admission applies it: a 422 listing every invalid field.
/// </summary>
internal static class Validate
{
    public static void OrThrow(ResourceKind kind, Resource r, Resource? old)
    {
        var errors = ResourceValidator.Check(kind, r, old);
        if (errors.Count > 0) throw ApiProblem.Invalid(kind.Kind, r.Metadata?.Name, errors);
    }
}
