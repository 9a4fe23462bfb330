namespace Platform.Outbox.Tests;

internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string RelayHostDll =>
        Path.Combine(Root, "tests/Platform.Outbox.RelayHost/bin", Configuration, "net10.0/Platform.Outbox.RelayHost.dll");

    private static string Configuration =>
        AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Platform.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Platform.sln not found above " + AppContext.BaseDirectory);
    }
}
