using System.Net;
using System.Text.Json;
using Platform.ConfigServer.Tests.Support;

namespace Platform.ConfigServer.Tests.Backends;

public sealed class GitBackendTests(NpmConfigClientFixture npm) : IClassFixture<NpmConfigClientFixture>
{
    private static Task<ConfigServerHost> StartAsync(GitTestRepo git, int refreshRateSeconds = 0, bool cloneOnStart = true, string? uri = null) =>
        ConfigServerHost.StartAsync(new Dictionary<string, string?>
        {
            ["ConfigServer:Git:Uri"] = uri ?? git.BarePath,
            ["ConfigServer:Git:BaseDir"] = git.CloneDir,
            ["ConfigServer:Git:RefreshRateSeconds"] = refreshRateSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["ConfigServer:Git:CloneOnStart"] = cloneOnStart ? "true" : "false",
        });

    private static async Task<JsonElement> GetAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    private static string Value(JsonElement env, string key) =>
        env.GetProperty("propertySources").EnumerateArray()
            .Select(s => s.GetProperty("source"))
            .First(s => s.TryGetProperty(key, out _)).GetProperty(key).ToString();

    [Fact]
    public async Task Git_DefaultLabel_ServesMainWithCommitIdAsVersion()
    {
        using var git = await GitTestRepo.CreateAsync();
        var sha = await git.CommitAsync("first", ("application.yml", "shared: 1\n"), ("inventory.yml", "inventory:\n  size: 10\n"),
            ("inventory-dev.yml", "inventory:\n  size: 20\n"));
        await using var host = await StartAsync(git);
        using var client = host.CreateClient();

        var env = await GetAsync(client, "/inventory/dev");

        Assert.Equal(sha, env.GetProperty("version").GetString());
        Assert.Equal("main", env.GetProperty("label").GetString());
        Assert.Equal([$"{git.BarePath}/inventory-dev.yml", $"{git.BarePath}/inventory.yml", $"{git.BarePath}/application.yml"],
            env.GetProperty("propertySources").EnumerateArray().Select(s => s.GetProperty("name").GetString()));
        Assert.Equal("20", Value(env, "inventory.size"));
    }

    [Fact]
    public async Task Git_LabelMayBeBranchTagOrCommit()
    {
        using var git = await GitTestRepo.CreateAsync();
        var first = await git.CommitAsync("v1", ("inventory.yml", "inventory:\n  size: 1\n"));
        await git.GitAsync("tag", "-a", "v1.0", "-m", "release 1.0");
        await git.GitAsync("push", "-q", "origin", "v1.0");
        await git.CommitAsync("v2", ("inventory.yml", "inventory:\n  size: 2\n"));
        await git.GitAsync("checkout", "-q", "-b", "feature/big");
        var feature = await git.CommitAsync("feature", ("inventory.yml", "inventory:\n  size: 3\n"));
        await using var host = await StartAsync(git);
        using var client = host.CreateClient();

        Assert.Equal("2", Value(await GetAsync(client, "/inventory/default"), "inventory.size"));
        Assert.Equal("1", Value(await GetAsync(client, "/inventory/default/v1.0"), "inventory.size"));
        var branch = await GetAsync(client, "/inventory/default/feature(_)big");
        Assert.Equal("3", Value(branch, "inventory.size"));
        Assert.Equal(feature, branch.GetProperty("version").GetString());
        var byCommit = await GetAsync(client, $"/inventory/default/{first}");
        Assert.Equal("1", Value(byCommit, "inventory.size"));
        Assert.Equal(first, byCommit.GetProperty("version").GetString());
    }

    [Fact]
    public async Task Git_PushedCommit_IsServedOnNextFetchWithNewVersion()
    {
        using var git = await GitTestRepo.CreateAsync();
        await git.CommitAsync("v1", ("inventory.yml", "inventory:\n  size: 1\n"));
        await using var host = await StartAsync(git, refreshRateSeconds: 0);
        using var client = host.CreateClient();
        Assert.Equal("1", Value(await GetAsync(client, "/inventory/default"), "inventory.size"));

        var second = await git.CommitAsync("v2", ("inventory.yml", "inventory:\n  size: 2\n"));

        var env = await GetAsync(client, "/inventory/default");
        Assert.Equal(second, env.GetProperty("version").GetString());
        Assert.Equal("2", Value(env, "inventory.size"));
    }

    [Fact]
    public async Task Git_WithinRefreshRate_ServesCachedCommit()
    {
        using var git = await GitTestRepo.CreateAsync();
        var first = await git.CommitAsync("v1", ("inventory.yml", "inventory:\n  size: 1\n"));
        await using var host = await StartAsync(git, refreshRateSeconds: 3600);
        using var client = host.CreateClient();
        await GetAsync(client, "/inventory/default");

        await git.CommitAsync("v2", ("inventory.yml", "inventory:\n  size: 2\n"));

        Assert.Equal(first, (await GetAsync(client, "/inventory/default")).GetProperty("version").GetString());
    }

    [Fact]
    public async Task Git_UnknownLabel_Returns404()
    {
        using var git = await GitTestRepo.CreateAsync();
        await git.CommitAsync("v1", ("inventory.yml", "a: 1\n"));
        await using var host = await StartAsync(git);
        using var client = host.CreateClient();

        var response = await client.GetAsync("/inventory/default/no-such-branch");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("no-such-branch", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Git_UnreadableRepository_Returns503NamingTheRepository()
    {
        using var git = await GitTestRepo.CreateAsync();
        var missing = Path.Combine(Path.GetTempPath(), "no-such-repo-" + Guid.NewGuid().ToString("N"));
        await using var host = await StartAsync(git, cloneOnStart: false, uri: missing);
        using var client = host.CreateClient();

        var response = await client.GetAsync("/inventory/default");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains(missing, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Git_UnreadableRepositoryWithCloneOnStart_FailsStartNamingTheRepository()
    {
        using var git = await GitTestRepo.CreateAsync();
        var missing = Path.Combine(Path.GetTempPath(), "no-such-repo-" + Guid.NewGuid().ToString("N"));

        var ex = await Assert.ThrowsAnyAsync<Exception>(() => StartAsync(git, uri: missing));

        Assert.Contains(missing, ex.Message);
    }

    [Fact]
    public async Task NpmClient_GitBackend_LoadsValues()
    {
        using var git = await GitTestRepo.CreateAsync();
        await git.CommitAsync("v1", ("inventory.yml", "inventory:\n  size: 10\n  name: stock\n"), ("inventory-eu.yml", "inventory:\n  size: 30\n"));
        await using var host = await StartAsync(git);

        var props = await npm.LoadAsync(host.BaseAddress, "inventory", "eu", "main");

        Assert.Equal(30, props.GetProperty("inventory.size").GetInt32());
        Assert.Equal("stock", props.GetProperty("inventory.name").GetString());
    }

    [Fact]
    public async Task Git_SearchPathsWithApplicationPlaceholder_LaterPathWins()
    {
        using var git = await GitTestRepo.CreateAsync();
        await git.CommitAsync("layout", ("shared/inventory.yml", "inventory:\n  size: 1\n  color: blue\n"),
            ("inventory/inventory.yml", "inventory:\n  size: 2\n"), ("other/inventory.yml", "inventory:\n  size: 3\n"));
        await using var host = await ConfigServerHost.StartAsync(new Dictionary<string, string?>
        {
            ["ConfigServer:Git:Uri"] = git.BarePath,
            ["ConfigServer:Git:BaseDir"] = git.CloneDir,
            ["ConfigServer:Git:SearchPaths:0"] = "shared",
            ["ConfigServer:Git:SearchPaths:1"] = "{application}",
        });
        using var client = host.CreateClient();

        var env = await GetAsync(client, "/inventory/default");

        Assert.Equal([$"{git.BarePath}/inventory/inventory.yml", $"{git.BarePath}/shared/inventory.yml"],
            env.GetProperty("propertySources").EnumerateArray().Select(s => s.GetProperty("name").GetString()));
        Assert.Equal("2", Value(env, "inventory.size"));
        Assert.Equal("blue", Value(env, "inventory.color"));
    }
}
