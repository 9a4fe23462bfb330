namespace Platform.Deploy.Tests.Support;

/// <summary>The repository the tests run from, and the images its component registry says ./platform images builds.</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    /// <summary>
    /// Every component of <c>deploy/local/components/*.conf</c> (the registry the launcher and ./platform images read)
    /// and the dev broker.
    /// </summary>
    public static IReadOnlyList<string> ImageNames { get; } =
    [
        .. Directory.GetFiles(Path.Combine(FindRoot(), "deploy/local/components"), "*.conf").Order(StringComparer.Ordinal)
            .Select(f => File.ReadLines(f).First(l => l.StartsWith("NAME=", StringComparison.Ordinal))["NAME=".Length..]),
        "dev-broker",
    ];

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "platform")) && File.Exists(Path.Combine(dir.FullName, "docker-compose.yml")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"no repository root above {AppContext.BaseDirectory}");
    }
}
