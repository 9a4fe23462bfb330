namespace Platform.Foundation.Tests;

/// <summary>What the tests of the repository's scripts share: where the checkout is, and whether a process runs.</summary>
internal static class Repo
{
    /// <summary>The checkout's root (the folder with Platform.sln), found above the test's output folder.</summary>
    public static string Root()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Platform.sln"))) dir = dir.Parent;
        return dir!.FullName;
    }

    /// <summary>The process exists and is not a zombie (one killed but not yet reaped by whoever adopted it).</summary>
    public static bool Runs(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)] != 'Z';
        }
        catch (IOException) { return false; }
    }
}
