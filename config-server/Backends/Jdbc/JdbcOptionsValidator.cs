using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Platform.ConfigServer.Backends.Jdbc;

internal sealed partial class JdbcOptionsValidator : IValidateOptions<JdbcOptions>
{
    public ValidateOptionsResult Validate(string? name, JdbcOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ConnectionString)) errors.Add($"{JdbcOptions.Section}:ConnectionString: required for the Postgres backend");
        else
        {
            try { _ = new Npgsql.NpgsqlConnectionStringBuilder(options.ConnectionString); }
            catch (ArgumentException ex) { errors.Add($"{JdbcOptions.Section}:ConnectionString: {ex.Message}"); }
        }
        // The table name is spliced into SQL, so it must be a plain (schema.)identifier.
        if (!TableName().IsMatch(options.Table ?? "")) errors.Add($"{JdbcOptions.Section}:Table: '{options.Table}' is not an identifier like PROPERTIES or config.properties");
        if (string.IsNullOrWhiteSpace(options.DefaultLabel)) errors.Add($"{JdbcOptions.Section}:DefaultLabel: must not be empty");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$")]
    private static partial Regex TableName();
}
