using System.Text.RegularExpressions;

namespace Platform.ApiServer.Tests.Architecture;

/// <summary>
/// The apiserver's folders depend one way, from HTTP down to storage: a folder may use only folders below it. The
/// sources are read as text, so a new upward <c>using</c> (or a qualified name) fails here, naming file and folder.
/// </summary>
public sealed partial class LayeringTests
{
    /// <summary>Top to bottom; folders on one line are peers and do not use each other.</summary>
    private static readonly string[][] Layers =
    [
        ["OpenApi", "Metrics", "CustomMetrics"],
        ["Api"],
        ["Startup", "Watch", "Disruption"],
        ["Resources"],
        ["PodSecurity", "LimitRanges", "ServiceAllocation", "StorageClasses", "Priority"],
        ["Auth", "Quota", "Validation"],
        ["Storage"],
        ["Secrets"],
        ["Problems", "Protobuf"],
    ];

    private static int LayerOf(string folder) => Array.FindIndex(Layers, l => l.Contains(folder));

    [Fact]
    public void Every_folder_uses_only_the_folders_below_it()
    {
        var root = Path.Combine(RepositoryRoot(), "services", "apiserver");
        var folders = Directory.GetDirectories(root).Select(Path.GetFileName).Where(f => f is not ("bin" or "obj")).ToList();
        Assert.All(folders, f => Assert.True(LayerOf(f!) >= 0, $"services/apiserver/{f} has no layer in LayeringTests.Layers: place it"));

        var violations = new List<string>();
        foreach (var folder in folders)
            foreach (var file in Directory.EnumerateFiles(Path.Combine(root, folder!), "*.cs", SearchOption.AllDirectories))
                foreach (Match m in Reference().Matches(File.ReadAllText(file)))
                {
                    var used = m.Groups[1].Value;
                    if (used == folder || LayerOf(used) < 0) continue;
                    if (LayerOf(used) <= LayerOf(folder!))
                        violations.Add($"{Path.GetRelativePath(root, file)} uses Platform.ApiServer.{used} ({folder} may use only folders below it)");
                }
        Assert.True(violations.Count == 0, string.Join("\n", violations.Distinct()));
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Platform.sln"))) return dir.FullName;
        throw new InvalidOperationException("Platform.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"\bPlatform\.ApiServer\.([A-Z][A-Za-z]*)\b")]
    private static partial Regex Reference();
}
