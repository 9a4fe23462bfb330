using System.Web;

namespace Platform.Connect.Connectors.Jdbc;

/// <summary>
/// A JDBC URL as the Confluent JDBC connector takes it (<c>jdbc:postgresql://host:5432/db?user=u&amp;password=p</c>,
/// <c>jdbc:mysql://</c>, <c>jdbc:mariadb://</c>), with <c>connection.user</c> and <c>connection.password</c>
/// overriding the URL's; turned into the ADO.NET connection string of the matching driver.
/// </summary>
internal sealed record JdbcUrl(string Scheme, string Host, int Port, string Database, string? User, string? Password)
{
    public static JdbcUrl Parse(string url, string? user = null, string? password = null)
    {
        if (!url.StartsWith("jdbc:", StringComparison.OrdinalIgnoreCase))
            throw new FormatException("must start with jdbc: (jdbc:postgresql://host:port/db, jdbc:mysql://... or jdbc:mariadb://...)");
        if (!Uri.TryCreate(url[5..], UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
            throw new FormatException("is not a URL of the form jdbc:<driver>://host[:port]/database");
        var scheme = uri.Scheme.ToLowerInvariant();
        if (scheme is not ("postgresql" or "mysql" or "mariadb")) throw new FormatException($"driver '{scheme}' is not one of postgresql, mysql, mariadb");
        var database = uri.AbsolutePath.Trim('/');
        if (database.Length == 0) throw new FormatException("names no database (jdbc:<driver>://host[:port]/database)");
        var query = HttpUtility.ParseQueryString(uri.Query);
        var port = uri.IsDefaultPort || uri.Port <= 0 ? (scheme == "postgresql" ? 5432 : 3306) : uri.Port;
        return new JdbcUrl(scheme, uri.Host, port, Uri.UnescapeDataString(database), user ?? query["user"], password ?? query["password"]);
    }

    public static string? Check(string url)
    {
        try
        {
            Parse(url);
            return null;
        }
        catch (FormatException ex)
        {
            return ex.Message;
        }
    }
}
