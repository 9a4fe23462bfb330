using Platform.Contracts.Resources;

namespace Platform.Scheduler.Plugins.TaintToleration;

/// <summary>Kubernetes toleration matching: an empty key with <c>Exists</c> tolerates everything; an empty effect tolerates every effect.</summary>
internal static class Tolerations
{
    public static bool Tolerates(Toleration t, Taint taint)
    {
        if (!string.IsNullOrEmpty(t.Effect) && t.Effect != taint.Effect) return false;
        if (t.Operator == "Exists") return string.IsNullOrEmpty(t.Key) || t.Key == taint.Key;
        return t.Key == taint.Key && (t.Value ?? "") == (taint.Value ?? "");
    }

    public static bool AnyTolerates(IReadOnlyList<Toleration>? tolerations, Taint taint)
    {
        if (tolerations is null) return false;
        foreach (var t in tolerations)
            if (Tolerates(t, taint)) return true;
        return false;
    }
}
