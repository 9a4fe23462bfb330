namespace Platform.Connect.Api.Config;

/// <summary>
/// One setting of a plugin: its name, type, default (null with <see cref="Required"/> means no default), and an
/// optional check that returns an error message for a bad value.
/// </summary>
public sealed record ConfigKey(
    string Name,
    ConfigType Type,
    string? DefaultValue,
    bool Required,
    Importance Importance,
    string Documentation,
    string? Group = null,
    Func<string, string?>? Validator = null,
    IReadOnlyList<string>? RecommendedValues = null)
{
    /// <summary>The error for <paramref name="raw"/>, or null when it parses as <see cref="Type"/> and passes <see cref="Validator"/>.</summary>
    public string? Check(string? raw)
    {
        if (raw is null)
            return Required ? $"Missing required configuration \"{Name}\" which has no default value." : null;
        var typeError = Type switch
        {
            ConfigType.Int or ConfigType.Short when !int.TryParse(raw.Trim(), out _) => "Not a number of type INT",
            ConfigType.Long when !long.TryParse(raw.Trim(), out _) => "Not a number of type LONG",
            ConfigType.Double when !double.TryParse(raw.Trim(), System.Globalization.CultureInfo.InvariantCulture, out _) => "Not a number of type DOUBLE",
            ConfigType.Boolean when !bool.TryParse(raw.Trim(), out _) => "Expected value to be either true or false",
            _ => null,
        };
        if (typeError is not null) return $"Invalid value {raw} for configuration {Name}: {typeError}";
        var error = Validator?.Invoke(raw);
        return error is null ? null : $"Invalid value {raw} for configuration {Name}: {error}";
    }
}
