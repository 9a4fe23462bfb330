using System.Net;
using System.Text;
using System.Text.Json;
using Platform.ConfigServer.Tests.Support;

namespace Platform.ConfigServer.Tests.Encryption;

/// <summary><c>?decrypt=false</c>: the Environment JSON with <c>{cipher}</c> values as stored, for a caller with credentials only.</summary>
public sealed class EncryptedReadTests
{
    private static async Task<(TempRepo Repo, ConfigServerHost Host, string Cipher)> StartAsync(bool security)
    {
        var repo = new TempRepo();
        var host = await ConfigServerHost.StartNativeAsync(repo.Path, new Dictionary<string, string?>
        {
            ["ConfigServer:Encrypt:Key"] = "console-read-key",
            ["ConfigServer:Security:Enabled"] = security ? "true" : "false",
        });
        using var client = host.CreateClient();
        using var encrypted = await client.PostAsync("/encrypt", new StringContent("hunter2-plain", Encoding.UTF8, "text/plain"));
        var cipher = await encrypted.Content.ReadAsStringAsync();
        repo.With("billing.yml", $"billing:\n  password: '{{cipher}}{cipher}'\n  user: app\n");
        return (repo, host, cipher);
    }

    [Fact]
    public async Task DecryptFalse_WithCredentials_ServesTheCipherValueAsStored()
    {
        var (repo, host, cipher) = await StartAsync(security: true);
        using var _ = repo;
        await using var __ = host;
        using var client = host.CreateClient();

        var raw = await client.GetStringAsync("/billing/default?decrypt=false");
        var source = JsonDocument.Parse(raw).RootElement.GetProperty("propertySources")[0].GetProperty("source");
        Assert.Equal("{cipher}" + cipher, source.GetProperty("billing.password").GetString());
        Assert.Equal("app", source.GetProperty("billing.user").GetString());
        Assert.DoesNotContain("hunter2-plain", raw, StringComparison.Ordinal);

        // Without the option, Spring clients still get the plain text.
        var plain = JsonDocument.Parse(await client.GetStringAsync("/billing/default")).RootElement;
        Assert.Equal("hunter2-plain", plain.GetProperty("propertySources")[0].GetProperty("source").GetProperty("billing.password").GetString());
    }

    [Fact]
    public async Task DecryptFalse_AnonymousOnAnOpenServer_Is401_AndTheOrdinaryReadIsUnchanged()
    {
        var (repo, host, _) = await StartAsync(security: false);
        using var __ = repo;
        await using var ___ = host;
        using var anonymous = host.CreateClient(authenticated: false);

        using var refused = await anonymous.GetAsync("/billing/default?decrypt=false");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("decrypt: reading values still encrypted needs credentials", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var open = JsonDocument.Parse(await anonymous.GetStringAsync("/billing/default")).RootElement;
        Assert.Equal("hunter2-plain", open.GetProperty("propertySources")[0].GetProperty("source").GetProperty("billing.password").GetString());
    }
}
