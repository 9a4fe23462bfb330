namespace Platform.ApiServer.Secrets;

/// <summary>A secret generated once and kept in a file readable only by its owner (0600).</summary>
internal static class GeneratedKeyFile
{
    public static string ReadOrCreate(string path, Func<string> generate)
    {
        if (File.Exists(path)) return File.ReadAllText(path).Trim();
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var value = generate();
        var tmp = path + ".tmp" + Environment.ProcessId;
        var fileOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var f = new FileStream(tmp, fileOptions))
        using (var w = new StreamWriter(f)) w.Write(value);
        try
        {
            // Another process may have won the race; keep whichever file landed first.
            File.Move(tmp, path, overwrite: false);
        }
        catch (IOException)
        {
            File.Delete(tmp);
            return File.ReadAllText(path).Trim();
        }
        return value;
    }
}
