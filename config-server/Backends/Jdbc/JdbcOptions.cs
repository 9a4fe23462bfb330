namespace Platform.ConfigServer.Backends.Jdbc;

/// <summary>
/// <c>ConfigServer:Jdbc</c>: properties from a Postgres table shaped like Spring's JDBC backend,
/// <c>PROPERTIES(APPLICATION, PROFILE, LABEL, KEY, VALUE)</c>.
/// </summary>
internal sealed class JdbcOptions
{
    public const string Section = "ConfigServer:Jdbc";

    /// <summary>An Npgsql connection string. Empty disables the backend.</summary>
    public string? ConnectionString { get; set; }

    public int Order { get; set; }

    /// <summary>Table name (optionally schema-qualified); Spring's default is <c>PROPERTIES</c>.</summary>
    public string Table { get; set; } = "PROPERTIES";

    /// <summary>Label used when a request names none; Spring's JDBC default is <c>master</c>.</summary>
    public string DefaultLabel { get; set; } = "master";

    /// <summary>
    /// Install a trigger on the table and publish a bus refresh for the application whose rows changed
    /// (Postgres LISTEN/NOTIFY; needs the bus). Spring has no such feature; it saves a manual busrefresh.
    /// </summary>
    public bool PublishChanges { get; set; }

    /// <summary>How long to gather notifications before publishing, so one multi-row change is one refresh.</summary>
    public int ChangeDebounceMilliseconds { get; set; } = 200;
}
