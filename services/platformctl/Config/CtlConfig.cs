using System.Text.Json;

namespace Platform.Ctl.Config;

/// <summary>
/// Contexts kept in <c>~/.platformctl/config.json</c> (or the file named by <c>PLATFORMCTL_CONFIG</c>), written 0600
/// because it holds tokens.
/// </summary>
public sealed record CtlConfig
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public string? CurrentContext { get; init; }
    public List<CtlContext> Contexts { get; init; } = [];

    public CtlContext? Current => Contexts.FirstOrDefault(c => c.Name == CurrentContext);

    public static string DefaultPath(IReadOnlyDictionary<string, string?> env) =>
        env.GetValueOrDefault("PLATFORMCTL_CONFIG") is { Length: > 0 } p
            ? p
            : Path.Combine(env.GetValueOrDefault("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".platformctl", "config.json");

    public static CtlConfig Load(string path)
    {
        if (!File.Exists(path)) return new CtlConfig();
        try
        {
            return JsonSerializer.Deserialize<CtlConfig>(File.ReadAllText(path), Json) ?? new CtlConfig();
        }
        catch (JsonException ex)
        {
            throw new CtlException($"{path}: not a valid platformctl config ({ex.Message})");
        }
    }

    public void Save(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using var f = new FileStream(path, options);
        JsonSerializer.Serialize(f, this, Json);
    }
}
