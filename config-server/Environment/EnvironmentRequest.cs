namespace Platform.ConfigServer.Environment;

/// <summary>What a client asked for: application name(s), profiles in request order, and an optional label.</summary>
internal sealed record EnvironmentRequest(string Application, IReadOnlyList<string> Profiles, string? Label)
{
    /// <summary>The namespace whose ConfigMaps the caller was admitted to (<see cref="Security.ConfigNamespaces"/>); null when none is served.</summary>
    public string? Namespace { get; init; }

    /// <summary>
    /// The caller the apiserver vouched for, whose access to each Secret is reviewed; null for static credentials, which
    /// are the operator's (admitted to the default namespace only).
    /// </summary>
    public Security.ReviewedUser? Caller { get; init; }

    /// <summary>
    /// Parses the raw path values: profiles are comma separated (also <c>%2C</c>, decoded by routing), and
    /// <c>(_)</c> in a label stands for <c>/</c> because a slash cannot travel inside one path segment.
    /// Returns the field and reason of the first problem instead of throwing.
    /// </summary>
    public static (EnvironmentRequest? Request, string? Field, string? Error) Parse(string application, string profiles, string? label)
    {
        if (string.IsNullOrWhiteSpace(application)) return (null, "application", "must not be empty");
        if (application.Contains("..", StringComparison.Ordinal) || application.IndexOfAny(['/', '\\']) >= 0)
            return (null, "application", $"'{application}' must not contain '/', '\\' or '..'");
        var list = profiles.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (list.Length == 0) return (null, "profile", "at least one profile is required");
        foreach (var p in list)
        {
            if (p.Contains("..", StringComparison.Ordinal) || p.IndexOfAny(['/', '\\']) >= 0)
                return (null, "profile", $"'{p}' must not contain '/', '\\' or '..'");
        }
        string? decodedLabel = null;
        if (!string.IsNullOrWhiteSpace(label))
        {
            decodedLabel = label.Replace("(_)", "/", StringComparison.Ordinal);
            if (decodedLabel.Contains("..", StringComparison.Ordinal))
                return (null, "label", $"'{decodedLabel}' must not contain '..'");
        }
        return (new EnvironmentRequest(application, list, decodedLabel), null, null);
    }

    /// <summary>
    /// Application names by precedence (Spring accepts <c>app1,app2</c>: the later name wins), then
    /// <c>application</c>, which every application reads last.
    /// </summary>
    public IReadOnlyList<string> NamesByPrecedence =>
        [.. Application.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Reverse()
            .Where(n => n != "application").Distinct(), "application"];

    /// <summary>Profiles from lowest to highest precedence is request order; this is highest first.</summary>
    public IEnumerable<string> ProfilesByPrecedence => Profiles.Reverse();
}
