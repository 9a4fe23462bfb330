namespace Platform.Contracts.Routing;

/// <summary>How positional shortcut values map to fields (Spring's <c>ShortcutConfigurable.ShortcutType</c>).</summary>
public enum ShortcutType
{
    /// <summary>Value i goes to field i.</summary>
    Default,
    /// <summary>All values form the list of the single field.</summary>
    GatherList,
    /// <summary>All values but a last <c>true</c>/<c>false</c> form the list of the first field; that flag is the second.</summary>
    GatherListTailFlag,
}
