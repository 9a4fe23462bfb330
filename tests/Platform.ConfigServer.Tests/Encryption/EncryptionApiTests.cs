using System.Net;
using System.Text;
using System.Text.Json;
using Platform.ConfigServer.Tests.Support;

namespace Platform.ConfigServer.Tests.Encryption;

public sealed class EncryptionApiTests
{
    private const string Key = "spring-symmetric-key";

    /// <summary>
    /// Built outside .NET from Spring's documented algorithm (Encryptors.text / AesBytesEncryptor, CBC):
    /// key = PBKDF2-HMAC-SHA1("spring-symmetric-key", hex "deadbeef", 1024, 256 bits) via python hashlib,
    /// then `openssl enc -aes-256-cbc` of "db-password-42" with IV 00112233..eeff; output hex(IV || cipher).
    /// </summary>
    private const string SpringVector = "00112233445566778899aabbccddeeff672b2ff7726818c2fe784f10f080fb8b";

    private static Dictionary<string, string?> WithKey() => new() { ["ConfigServer:Encrypt:Key"] = Key };

    [Fact]
    public async Task Decrypt_SpringFormatTestVector_ReturnsPlainText()
    {
        using var repo = new TempRepo();
        await using var host = await ConfigServerHost.StartNativeAsync(repo.Path, WithKey());
        using var client = host.CreateClient();

        var response = await client.PostAsync("/decrypt", new StringContent(SpringVector, Encoding.UTF8, "text/plain"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("db-password-42", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task EncryptThenServe_CipherValueInRepository_IsServedDecrypted()
    {
        using var repo = new TempRepo();
        await using var host = await ConfigServerHost.StartNativeAsync(repo.Path, WithKey());
        using var client = host.CreateClient();

        // curl -d sends form encoding; Spring strips the trailing '=' and so do we.
        var encrypted = await (await client.PostAsync("/encrypt", new StringContent("s3cr3t value", Encoding.UTF8, "application/x-www-form-urlencoded")))
            .Content.ReadAsStringAsync();
        Assert.Matches("^[0-9a-f]+$", encrypted);
        repo.With("payments.yml", $"payments:\n  password: '{{cipher}}{encrypted}'\n  legacy: '{{cipher}}{SpringVector}'\n  broken: '{{cipher}}abcdef'\n  user: app\n");

        var env = JsonDocument.Parse(await client.GetStringAsync("/payments/default")).RootElement;
        var source = env.GetProperty("propertySources")[0].GetProperty("source");

        Assert.Equal("s3cr3t value", source.GetProperty("payments.password").GetString());
        Assert.Equal("db-password-42", source.GetProperty("payments.legacy").GetString());
        Assert.Equal("<n/a>", source.GetProperty("invalid.payments.broken").GetString());
        Assert.False(source.TryGetProperty("payments.broken", out _));
        Assert.Equal("s3cr3t value", await (await client.PostAsync("/decrypt", new StringContent(encrypted))).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Encrypt_SameTextTwice_GivesDifferentCipherTexts()
    {
        using var repo = new TempRepo();
        await using var host = await ConfigServerHost.StartNativeAsync(repo.Path, WithKey());
        using var client = host.CreateClient();

        var a = await (await client.PostAsync("/encrypt", new StringContent("same"))).Content.ReadAsStringAsync();
        var b = await (await client.PostAsync("/encrypt", new StringContent("same"))).Content.ReadAsStringAsync();

        Assert.NotEqual(a, b);
        Assert.Equal(64, a.Length); // 16-byte IV + one AES block, hex
    }

    [Fact]
    public async Task EncryptAndDecrypt_WithoutCredentials_Return401()
    {
        using var repo = new TempRepo();
        await using var host = await ConfigServerHost.StartNativeAsync(repo.Path, WithKey());
        using var client = host.CreateClient(authenticated: false);

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsync("/encrypt", new StringContent("x"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsync("/decrypt", new StringContent(SpringVector))).StatusCode);
    }

    [Fact]
    public async Task Decrypt_WrongKeyCipherText_Returns400Problem()
    {
        using var repo = new TempRepo();
        await using var host = await ConfigServerHost.StartNativeAsync(repo.Path, new Dictionary<string, string?> { ["ConfigServer:Encrypt:Key"] = "other" });
        using var client = host.CreateClient();

        var response = await client.PostAsync("/decrypt", new StringContent(SpringVector));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("body:", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Status_ReportsOkWithKeyAndNoKeyWithout()
    {
        using var repo = new TempRepo();
        await using (var host = await ConfigServerHost.StartNativeAsync(repo.Path, WithKey()))
        {
            using var client = host.CreateClient();
            Assert.Equal("OK", JsonDocument.Parse(await client.GetStringAsync("/encrypt/status")).RootElement.GetProperty("status").GetString());
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/key")).StatusCode);
        }
        await using (var host = await ConfigServerHost.StartNativeAsync(repo.Path))
        {
            using var client = host.CreateClient();
            var response = await client.GetAsync("/encrypt/status");
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("NO_KEY", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString());
            Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync("/encrypt", new StringContent("x"))).StatusCode);
        }
    }

    [Fact]
    public async Task DecryptedValues_NeverAppearInLogs_EvenAtTraceLevel()
    {
        using var repo = new TempRepo();
        var logs = new CapturingLoggerProvider();
        await using var host = await ConfigServerHost.StartNativeAsync(repo.Path, WithKey(), logs: logs);
        using var client = host.CreateClient();
        const string Secret = "very-secret-value-91";
        var cipher = await (await client.PostAsync("/encrypt", new StringContent(Secret))).Content.ReadAsStringAsync();
        repo.With("vault.yml", $"vault:\n  token: '{{cipher}}{cipher}'\n  bad: '{{cipher}}00ff'\n");

        var served = await client.GetStringAsync("/vault/default");
        var decrypted = await (await client.PostAsync("/decrypt", new StringContent(cipher))).Content.ReadAsStringAsync();
        var yaml = await client.GetStringAsync("/vault-default.yml");

        Assert.Contains(Secret, served);
        Assert.Equal(Secret, decrypted);
        Assert.Contains(Secret, yaml);
        Assert.NotEmpty(logs.Messages);
        Assert.Contains(logs.Messages, m => m.Contains("vault.bad", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Messages, m => m.Contains(Secret, StringComparison.Ordinal));
    }
}
