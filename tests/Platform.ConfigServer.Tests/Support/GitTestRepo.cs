using System.Diagnostics;

namespace Platform.ConfigServer.Tests.Support;

/// <summary>A bare repository (the "remote") plus a working clone that commits and pushes to it, driven by the git CLI.</summary>
internal sealed class GitTestRepo : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "cfggit-" + Guid.NewGuid().ToString("N"));

    private GitTestRepo()
    {
        Directory.CreateDirectory(_root);
        BarePath = Path.Combine(_root, "origin.git");
        WorkPath = Path.Combine(_root, "work");
    }

    public string BarePath { get; }

    public string WorkPath { get; }

    /// <summary>A folder for the server's local clone, removed with the rest.</summary>
    public string CloneDir => Path.Combine(_root, "server-clone");

    public static async Task<GitTestRepo> CreateAsync()
    {
        var repo = new GitTestRepo();
        await repo.GitAsync(repo._root, "init", "--bare", "-b", "main", repo.BarePath);
        await repo.GitAsync(repo._root, "init", "-b", "main", repo.WorkPath);
        await repo.GitAsync(repo.WorkPath, "remote", "add", "origin", repo.BarePath);
        return repo;
    }

    /// <summary>Writes files, commits them and pushes the current branch; returns the new commit id.</summary>
    public async Task<string> CommitAsync(string message, params (string Path, string Content)[] files)
    {
        foreach (var (path, content) in files)
        {
            var full = Path.Combine(WorkPath, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            await File.WriteAllTextAsync(full, content);
        }
        await GitAsync(WorkPath, "add", "-A");
        await GitAsync(WorkPath, "commit", "-q", "-m", message);
        var branch = (await GitAsync(WorkPath, "rev-parse", "--abbrev-ref", "HEAD")).Trim();
        await GitAsync(WorkPath, "push", "-q", "origin", branch);
        return (await GitAsync(WorkPath, "rev-parse", "HEAD")).Trim();
    }

    public Task<string> GitAsync(params string[] args) => GitAsync(WorkPath, args);

    private async Task<string> GitAsync(string cwd, params string[] args)
    {
        var psi = new ProcessStartInfo("git") { WorkingDirectory = cwd, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["GIT_AUTHOR_NAME"] = psi.Environment["GIT_COMMITTER_NAME"] = "Config Test";
        psi.Environment["GIT_AUTHOR_EMAIL"] = psi.Environment["GIT_COMMITTER_EMAIL"] = "config-test@example.invalid";
        psi.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0) throw new InvalidOperationException($"git {string.Join(' ', args)} failed: {await stderr}");
        return await stdout;
    }

    public void Dispose()
    {
        try { Directory.Delete(_root, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
