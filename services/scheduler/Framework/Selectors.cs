using Platform.Contracts.Resources;

namespace Platform.Scheduler.Framework;

internal static class Selectors
{
    /// <summary>A requirement no label set satisfies (<c>in ()</c>).</summary>
    public static Selector Nothing { get; } = new([new SelectorRequirement("", SelectorOperator.In, [])]);

    /// <summary>
    /// Converts a structured selector; one the apiserver let through with an unknown operator selects nothing, so a
    /// single malformed pod can neither stop the informers nor attract or repel other pods.
    /// </summary>
    public static Selector From(LabelSelector? selector)
    {
        try { return Selector.FromLabelSelector(selector); }
        catch (FormatException) { return Nothing; }
    }
}
