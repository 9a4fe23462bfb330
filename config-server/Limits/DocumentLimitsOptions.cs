namespace Platform.ConfigServer.Limits;

/// <summary>
/// <c>ConfigServer:Limits</c>: bounds on every document the server parses (native and git files, ConfigMap data,
/// Postgres rows) and on placeholder resolution, so one hostile property source cannot exhaust the stack, memory or CPU.
/// </summary>
internal sealed class DocumentLimitsOptions
{
    public const string Section = "ConfigServer:Limits";

    /// <summary>Largest property file or ConfigMap data entry, in UTF-8 bytes.</summary>
    public int MaxDocumentBytes { get; set; } = 1024 * 1024;

    /// <summary>Deepest nesting of YAML or JSON collections.</summary>
    public int MaxDepth { get; set; } = 64;

    /// <summary>Most alias uses (<c>*name</c>) in one YAML file.</summary>
    public int MaxYamlAliases { get; set; } = 1000;

    /// <summary>Most YAML nodes in one file, counting each alias as the nodes it stands for (the "billion laughs" bound).</summary>
    public int MaxYamlNodes { get; set; } = 100_000;

    /// <summary>Most characters of flattened property names and values one YAML or JSON file may produce.</summary>
    public int MaxFlattenedLength { get; set; } = 8 * 1024 * 1024;

    /// <summary>Deepest chain of placeholders resolved inside one another (<c>${a}</c> whose value is <c>${b}</c> ...).</summary>
    public int MaxPlaceholderDepth { get; set; } = 32;

    /// <summary>Most characters resolving one property value may produce (intermediate results included).</summary>
    public int MaxResolvedValueLength { get; set; } = 1024 * 1024;

    /// <summary>Most characters placeholder resolution may produce for one response.</summary>
    public int MaxResolvedTotalLength { get; set; } = 16 * 1024 * 1024;

    public static string Key(string property) => Section + ":" + property;
}
