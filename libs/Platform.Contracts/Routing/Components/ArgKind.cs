namespace Platform.Contracts.Routing;

/// <summary>What an argument of a route predicate or filter must parse as; checked by <see cref="ComponentSchemaValidator"/>.</summary>
public enum ArgKind
{
    /// <summary>Any text.</summary>
    Text,
    /// <summary>An integer, at least <see cref="ArgSchema.Min"/>.</summary>
    Integer,
    /// <summary>A decimal number.</summary>
    Number,
    /// <summary><c>true</c> or <c>false</c>.</summary>
    Boolean,
    /// <summary>Spring's duration: milliseconds, <c>2s</c>, <c>PT1S</c> (<see cref="Durations"/>).</summary>
    Duration,
    /// <summary>A size: bytes, <c>KB</c>, <c>MB</c>, <c>GB</c>.</summary>
    Size,
    /// <summary>A .NET regular expression (Java's syntax for what routes use).</summary>
    Regex,
    /// <summary>One of <see cref="ArgSchema.Values"/> (case and dashes ignored).</summary>
    Choice,
    /// <summary>An HTTP status: a number or Spring's <c>HttpStatus</c> name.</summary>
    HttpStatus,
    /// <summary>A comma-separated list of HTTP statuses.</summary>
    HttpStatusList,
    /// <summary>Java's <c>ZonedDateTime</c> text or epoch milliseconds.</summary>
    DateTime,
    /// <summary>A comma-separated list of CIDR ranges.</summary>
    CidrList,
    /// <summary>A comma-separated list of text values.</summary>
    List,
}
