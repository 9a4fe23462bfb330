using Platform.ConfigServer.Tests.Support;

namespace Platform.ConfigServer.Tests.Npm;

/// <summary>The unchanged npm <c>cloud-config-client</c> against the real server, one test per backend.</summary>
public sealed class NpmCloudConfigClientTests(NpmConfigClientFixture npm) : IClassFixture<NpmConfigClientFixture>
{
    [Fact]
    public async Task NpmClient_NativeBackend_LoadsValuesWithProfilePrecedence()
    {
        using var repo = new TempRepo()
            .With("application.yml", "shared:\n  greeting: hi\n")
            .With("catalog.yml", "catalog:\n  page-size: 20\n  title: Catalog\n")
            .With("catalog-dev.yml", "catalog:\n  page-size: 50\n")
            .With("catalog-eu.properties", "catalog.title=Katalog\n");
        await using var host = await ConfigServerHost.StartNativeAsync(repo.Path);

        var props = await npm.LoadAsync(host.BaseAddress, "catalog", "dev,eu");

        Assert.Equal(50, props.GetProperty("catalog.page-size").GetInt32());
        Assert.Equal("Katalog", props.GetProperty("catalog.title").GetString());
        Assert.Equal("hi", props.GetProperty("shared.greeting").GetString());
    }
}
