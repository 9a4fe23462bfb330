using System.Text.Json;
using Platform.ConfigServer.Tests.Support;

namespace Platform.ConfigServer.Tests.Environment;

public sealed class CompositionTests
{
    [Fact]
    public async Task Start_NoBackendConfigured_FailsNamingTheKeys()
    {
        var ex = await Assert.ThrowsAnyAsync<Exception>(() => ConfigServerHost.StartAsync(new Dictionary<string, string?>()));

        Assert.Contains("ConfigServer:Native:Enabled, ConfigServer:Git:Uri, ConfigServer:Jdbc:ConnectionString or ConfigServer:ConfigMaps:Enabled", ex.Message);
    }

    [Fact]
    public async Task Start_InvalidGitAndEncryptSettings_ReportsEveryKey()
    {
        var ex = await Assert.ThrowsAnyAsync<Exception>(() => ConfigServerHost.StartAsync(new Dictionary<string, string?>
        {
            ["ConfigServer:Git:Uri"] = "/nowhere",
            ["ConfigServer:Git:RefreshRateSeconds"] = "-1",
            ["ConfigServer:Git:CloneOnStart"] = "false",
            ["ConfigServer:Encrypt:Salt"] = "xyz",
        }));

        Assert.Contains("ConfigServer:Git:RefreshRateSeconds", ex.Message + ex.InnerException?.Message);
    }

    [Fact]
    public async Task Start_InvalidConfigMapSettings_ReportsEveryKey()
    {
        var ex = await Assert.ThrowsAnyAsync<Exception>(() => ConfigServerHost.StartAsync(new Dictionary<string, string?>
        {
            ["ConfigServer:ConfigMaps:Enabled"] = "true",
            ["ConfigServer:ConfigMaps:ApiServerUrl"] = "ftp://apiserver",
            ["ConfigServer:ConfigMaps:Namespace"] = "Not_A_Namespace",
        }));

        var message = ex.Message + ex.InnerException?.Message;
        Assert.Contains("ConfigServer:ConfigMaps:ApiServerUrl: 'ftp://apiserver' is not an http(s) URL", message);
        Assert.Contains("ConfigServer:ConfigMaps:Token: required", message);
        Assert.Contains("ConfigServer:ConfigMaps:Namespace: 'Not_A_Namespace' is not a namespace name", message);
    }

    [Fact]
    public async Task Composite_GitBeforeNative_ByOrder()
    {
        using var git = await GitTestRepo.CreateAsync();
        var sha = await git.CommitAsync("v1", ("orders.yml", "orders:\n  source: git\n  only-git: yes-git\n"));
        using var native = new TempRepo().With("orders.yml", "orders:\n  source: native\n  only-native: yes-native\n");
        await using var host = await ConfigServerHost.StartAsync(new Dictionary<string, string?>
        {
            ["ConfigServer:Git:Uri"] = git.BarePath,
            ["ConfigServer:Git:BaseDir"] = git.CloneDir,
            ["ConfigServer:Git:Order"] = "0",
            ["ConfigServer:Native:Enabled"] = "true",
            ["ConfigServer:Native:SearchLocations:0"] = native.Path,
            ["ConfigServer:Native:Order"] = "1",
        });
        using var client = host.CreateClient();

        var env = JsonDocument.Parse(await client.GetStringAsync("/orders/default")).RootElement;
        var merged = JsonDocument.Parse(await client.GetStringAsync("/orders-default.json")).RootElement.GetProperty("orders");

        Assert.Equal(sha, env.GetProperty("version").GetString());
        Assert.StartsWith(git.BarePath, env.GetProperty("propertySources")[0].GetProperty("name").GetString());
        Assert.StartsWith("file:", env.GetProperty("propertySources")[1].GetProperty("name").GetString());
        Assert.Equal("git", merged.GetProperty("source").GetString());
        Assert.Equal("yes-native", merged.GetProperty("only-native").GetString());
        Assert.Equal("yes-git", merged.GetProperty("only-git").GetString());
    }

    [Fact]
    public async Task Composite_LabelKnownOnlyToGit_IsServedFromGitAlone()
    {
        using var git = await GitTestRepo.CreateAsync();
        await git.CommitAsync("v1", ("orders.yml", "orders:\n  size: 1\n"));
        await git.GitAsync("checkout", "-q", "-b", "hotfix");
        await git.CommitAsync("hotfix", ("orders.yml", "orders:\n  size: 9\n"));
        using var native = new TempRepo().With("orders.yml", "orders:\n  size: 5\n  native: true\n");
        await using var host = await ConfigServerHost.StartAsync(new Dictionary<string, string?>
        {
            ["ConfigServer:Git:Uri"] = git.BarePath,
            ["ConfigServer:Git:BaseDir"] = git.CloneDir,
            ["ConfigServer:Native:Enabled"] = "true",
            ["ConfigServer:Native:SearchLocations:0"] = native.Path,
            ["ConfigServer:Native:Order"] = "1",
        });
        using var client = host.CreateClient();

        var env = JsonDocument.Parse(await client.GetStringAsync("/orders/default/hotfix")).RootElement;

        var source = Assert.Single(env.GetProperty("propertySources").EnumerateArray());
        Assert.Equal(9, source.GetProperty("source").GetProperty("orders.size").GetInt32());
    }

    [Fact]
    public async Task YamlDocuments_ActivatedByProfile_ApplyOnlyToThatProfile()
    {
        using var repo = new TempRepo().With("orders.yml", """
            orders:
              size: 1
            ---
            spring:
              config:
                activate:
                  on-profile: eu
            orders:
              size: 2
            ---
            spring:
              profiles: "!eu"
            orders:
              region: elsewhere
            """);
        await using var host = await ConfigServerHost.StartNativeAsync(repo.Path);
        using var client = host.CreateClient();

        var eu = JsonDocument.Parse(await client.GetStringAsync("/orders-eu.json")).RootElement.GetProperty("orders");
        var us = JsonDocument.Parse(await client.GetStringAsync("/orders-us.json")).RootElement.GetProperty("orders");

        Assert.Equal(2, eu.GetProperty("size").GetInt32());
        Assert.False(eu.TryGetProperty("region", out _));
        Assert.Equal(1, us.GetProperty("size").GetInt32());
        Assert.Equal("elsewhere", us.GetProperty("region").GetString());
    }

    [Fact]
    public async Task Overrides_AreServedFirstToEveryApplication()
    {
        using var repo = new TempRepo().With("orders.yml", "shared:\n  url: http://from-file\n");
        await using var host = await ConfigServerHost.StartNativeAsync(repo.Path, new Dictionary<string, string?>
        {
            ["ConfigServer:Overrides:shared.url"] = "http://from-override",
        });
        using var client = host.CreateClient();

        var orders = JsonDocument.Parse(await client.GetStringAsync("/orders/default")).RootElement.GetProperty("propertySources");
        var unknown = JsonDocument.Parse(await client.GetStringAsync("/nobody/default")).RootElement.GetProperty("propertySources");
        var merged = await client.GetStringAsync("/orders-default.properties");

        Assert.Equal("overrides", orders[0].GetProperty("name").GetString());
        Assert.Equal("http://from-override", orders[0].GetProperty("source").GetProperty("shared.url").GetString());
        Assert.Equal("overrides", Assert.Single(unknown.EnumerateArray()).GetProperty("name").GetString());
        Assert.Contains("shared.url: http://from-override", merged);
    }
}
