using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Platform.ConfigServer.Tests.Support;

namespace Platform.ConfigServer.Tests.Environment;

public sealed class SecurityTests
{
    [Fact]
    public async Task GetEnvironment_WithoutCredentials_Returns401WithBasicChallenge()
    {
        using var repo = new TempRepo().With("a.yml", "x: 1\n");
        await using var host = await ConfigServerHost.StartNativeAsync(repo.Path);
        using var client = host.CreateClient(authenticated: false);

        var response = await client.GetAsync("/a/default");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("Basic", response.Headers.WwwAuthenticate.ToString());
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("Authorization:", System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task GetEnvironment_WrongPassword_Returns401()
    {
        using var repo = new TempRepo().With("a.yml", "x: 1\n");
        await using var host = await ConfigServerHost.StartNativeAsync(repo.Path);
        using var client = host.CreateClient(authenticated: false);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{ConfigServerHost.User}:wrong")));

        var response = await client.GetAsync("/a/default");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("wrong user name or password", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task GetEnvironment_BearerToken_IsAccepted()
    {
        using var repo = new TempRepo().With("a.yml", "x: 1\n");
        await using var host = await ConfigServerHost.StartNativeAsync(repo.Path);
        using var client = host.CreateClient(authenticated: false);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ConfigServerHost.Token);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/a/default")).StatusCode);
    }

    [Fact]
    public async Task GetEnvironment_SecurityDisabled_IsOpen()
    {
        using var repo = new TempRepo().With("a.yml", "x: 1\n");
        await using var host = await ConfigServerHost.StartNativeAsync(repo.Path, new Dictionary<string, string?>
        {
            ["ConfigServer:Security:Enabled"] = "false",
        });
        using var client = host.CreateClient(authenticated: false);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/a/default")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsync("/encrypt", new StringContent("x"))).StatusCode);
    }

    [Fact]
    public async Task Start_SecurityEnabledWithoutCredentials_FailsNamingTheKeys()
    {
        using var repo = new TempRepo().With("a.yml", "x: 1\n");
        var ex = await Assert.ThrowsAnyAsync<Exception>(() => ConfigServerHost.StartNativeAsync(repo.Path, new Dictionary<string, string?>
        {
            ["ConfigServer:Security:Username"] = null,
            ["ConfigServer:Security:Password"] = null,
            ["ConfigServer:Security:BearerToken"] = null,
        }));

        Assert.Contains("ConfigServer:Security:Username/Password", ex.Message);
    }
}
