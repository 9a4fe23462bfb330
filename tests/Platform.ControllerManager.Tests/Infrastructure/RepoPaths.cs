namespace Platform.ControllerManager.Tests.Infrastructure;

/// <summary>Where the repository is and where its other projects' build outputs are, from this test's output folder.</summary>
internal static class RepoPaths
{
    /// <summary>The folder holding Directory.Build.props.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>A project's built dll in the same configuration and framework as this test (<c>connect</c>, <c>Platform.Connect.dll</c>).</summary>
    public static string BuiltDll(string projectFolder, string dll)
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory);
        return Path.Combine(Root, projectFolder, "bin", output.Parent!.Name, output.Name, dll);
    }

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Directory.Build.props"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Directory.Build.props not found above " + AppContext.BaseDirectory);
    }
}
