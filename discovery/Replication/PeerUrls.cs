namespace Platform.Discovery.Replication;

/// <summary>
/// The peers of this server: every URL of <c>eureka:client:serviceUrl:defaultZone</c> (or Steeltoe's plain
/// <c>eureka:client:serviceUrl</c>) except the ones this server itself listens on.
/// </summary>
internal static class PeerUrls
{
    public static IReadOnlyList<Uri> FromConfiguration(IConfiguration configuration)
    {
        var raw = configuration["eureka:client:serviceUrl:defaultZone"] ?? configuration["eureka:client:serviceUrl"] ?? "";
        var urls = new List<Uri>();
        foreach (var part in raw.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!Uri.TryCreate(part.EndsWith('/') ? part : part + "/", UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                throw new InvalidOperationException($"eureka:client:serviceUrl:defaultZone: '{part}' is not an http(s) URL");
            urls.Add(uri);
        }
        return urls;
    }

    /// <summary>
    /// The URL as logs, the dashboard and <c>/eureka/server/state</c> show it: without the user and password a
    /// <c>defaultZone</c> URL may carry (<c>http://user:password@host:8761/eureka/</c>). Secrets are never logged.
    /// </summary>
    public static string Display(Uri url) =>
        url.UserInfo.Length == 0 ? url.ToString() : new UriBuilder(url) { UserName = "", Password = "" }.Uri.ToString();

    /// <summary>Drops URLs pointing at one of <paramref name="ownAddresses"/> (localhost and 127.0.0.1 count as the same host).</summary>
    public static IReadOnlyList<Uri> ExcludeSelf(IReadOnlyList<Uri> urls, IEnumerable<string> ownAddresses)
    {
        var own = ownAddresses.Select(a => Uri.TryCreate(a.Replace("://+", "://0.0.0.0", StringComparison.Ordinal).Replace("://*", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var u) ? u : null)
            .OfType<Uri>().ToList();
        return urls.Where(u => !own.Any(o => o.Port == u.Port && SameHost(o.Host, u.Host))).ToList();
    }

    private static bool SameHost(string own, string peer)
    {
        static string Norm(string h) => h is "localhost" or "[::1]" or "::1" ? "127.0.0.1" : h;
        return own is "0.0.0.0" or "[::]" ? Norm(peer) == "127.0.0.1" : Norm(own) == Norm(peer);
    }
}
