using Platform.Contracts.Resources;

namespace Platform.Contracts.Validation;

/// <summary>Leases: Kubernetes' rules (positive duration, non-negative transitions) plus a bounded holder name.</summary>
public static class LeaseValidator
{
    public static void Validate(Lease l, FieldErrors errors)
    {
        if (l.Spec is null) { errors.Required("spec"); return; }
        if (l.Spec.LeaseDurationSeconds is <= 0) errors.Invalid("spec.leaseDurationSeconds", "must be greater than 0");
        if (l.Spec.LeaseTransitions is < 0) errors.Invalid("spec.leaseTransitions", "must be >= 0");
        if (l.Spec.HolderIdentity is { Length: > 253 }) errors.Invalid("spec.holderIdentity", "must be at most 253 characters");
        if (l.Spec.AcquireTime is { } a && l.Spec.RenewTime is { } r && r < a) errors.Invalid("spec.renewTime", "must not be before spec.acquireTime");
    }
}
