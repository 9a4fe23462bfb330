using System.Net;
using Platform.ConfigServer.Tests.Support;

namespace Platform.ConfigServer.Tests.Environment;

public sealed class HealthTests
{
    [Fact]
    public async Task Readyz_NativeLocationExists_IsReadyWithoutCredentials()
    {
        using var repo = new TempRepo().With("a.yml", "x: 1\n");
        await using var host = await ConfigServerHost.StartNativeAsync(repo.Path);
        using var client = host.CreateClient(authenticated: false);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/readyz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
        Assert.Equal("Healthy\n", await client.GetStringAsync("/readyz"));
        // ?verbose lists every check, as Kubernetes' apiserver does.
        Assert.Contains("[+]config-native ok\n", await client.GetStringAsync("/readyz?verbose"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Readyz_NativeLocationMissing_IsNotReady()
    {
        var missing = Path.Combine(Path.GetTempPath(), "no-such-config-" + Guid.NewGuid().ToString("N"));
        await using var host = await ConfigServerHost.StartNativeAsync(missing);
        using var client = host.CreateClient(authenticated: false);

        using var readyz = await client.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, readyz.StatusCode);
        // The answer names the failing check and its reason, and the checks that pass.
        var body = await readyz.Content.ReadAsStringAsync();
        Assert.StartsWith("Unhealthy\n", body, StringComparison.Ordinal);
        Assert.Contains($"[-]config-native failed: ConfigServer:Native:SearchLocations: missing folder(s) {missing}", body, StringComparison.Ordinal);
        Assert.Contains("[+]self ok", body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
    }

    [Fact]
    public async Task Readyz_GitRepositoryUnreadable_IsNotReady()
    {
        using var git = await GitTestRepo.CreateAsync();
        await using var host = await ConfigServerHost.StartAsync(new Dictionary<string, string?>
        {
            ["ConfigServer:Git:Uri"] = Path.Combine(Path.GetTempPath(), "no-such-repo-" + Guid.NewGuid().ToString("N")),
            ["ConfigServer:Git:BaseDir"] = git.CloneDir,
            ["ConfigServer:Git:CloneOnStart"] = "false",
        });
        using var client = host.CreateClient(authenticated: false);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/readyz")).StatusCode);
    }
}
