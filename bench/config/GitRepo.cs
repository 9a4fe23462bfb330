using System.Diagnostics;

namespace Platform.ConfigServer.Bench;

/// <summary>A bare git repository holding the benchmark files, made with the git CLI.</summary>
internal static class GitRepo
{
    public static async Task<string> CreateAsync(string work, IDictionary<string, string> files)
    {
        var bare = Path.Combine(work, "origin.git");
        var tree = Path.Combine(work, "git-work");
        await Git(work, "init", "-q", "--bare", "-b", "main", bare);
        await Git(work, "init", "-q", "-b", "main", tree);
        foreach (var (name, text) in files) await File.WriteAllTextAsync(Path.Combine(tree, name), text);
        await Git(tree, "add", "-A");
        await Git(tree, "commit", "-q", "-m", "bench");
        await Git(tree, "push", "-q", bare, "main");
        return bare;
    }

    private static async Task Git(string cwd, params string[] args)
    {
        var psi = new ProcessStartInfo("git") { WorkingDirectory = cwd, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["GIT_AUTHOR_NAME"] = psi.Environment["GIT_COMMITTER_NAME"] = "bench";
        psi.Environment["GIT_AUTHOR_EMAIL"] = psi.Environment["GIT_COMMITTER_EMAIL"] = "bench@example.invalid";
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0) throw new InvalidOperationException($"git {string.Join(' ', args)}: {await err}");
    }
}
