using System.Text;
using Platform.ApiServer.Tests.Infrastructure;
using Platform.Contracts.Resources;
using Microsoft.Extensions.Logging;
using Platform.Testing;
using Platform.Testing.ApiServer;

namespace Platform.ApiServer.Tests.Secrets;

[Collection(ApiServerCollection.Name)]
public sealed class SecretTests(PostgresFixture pg, KafkaFixture kafka)
{
    private const string Plain = "s3cr3t-pa55w0rd-value";

    [Fact]
    public async Task SecretData_IsReadableThroughTheApi_ButNotInTheDatabaseNorOnKafka()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var http = host.AdminClient();
        var ns = await http.CreateNamespaceAsync();
        var url = $"/api/v1/namespaces/{ns}/secrets";
        var b64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(Plain));
        var created = await http.PostAsync(url, Http.Yaml($"apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: {Plain}\n")).ExpectAsync(201);
        Assert.Equal(b64, (string?)created["data"]!["password"]);
        Assert.Null(created["stringData"]);
        var got = await http.GetAsync($"{url}/db").ExpectAsync(200);
        Assert.Equal(b64, (string?)got["data"]!["password"]);
        await http.PatchAsync($"{url}/db", """{"metadata":{"labels":{"rotated":"no"}}}""").ExpectAsync(200);
        await http.DeleteAsync($"{url}/db").ExpectAsync(200);

        var everything = await Db.DumpAsync(host.ConnectionString, "SELECT * FROM apiserver_objects") + await Db.DumpAsync(host.ConnectionString, "SELECT * FROM apiserver_changes")
            + await Db.DumpAsync(host.ConnectionString, "SELECT topic, message_key, convert_from(data, 'UTF8') FROM platform_outbox");
        Assert.Contains("\"db\"", everything);
        Assert.DoesNotContain(Plain, everything);
        Assert.DoesNotContain(b64, everything);

        var messages = kafka.ConsumeMany(host.Topic(ResourceKinds.Secret), 3, TimeSpan.FromSeconds(20));
        Assert.Equal(3, messages.Count);
        foreach (var m in messages)
        {
            var text = Encoding.UTF8.GetString(m.Message.Value) + string.Join(",", m.Message.Headers.Select(h => Encoding.UTF8.GetString(h.GetValueBytes())));
            Assert.Contains("\"name\":\"db\"", text);
            Assert.DoesNotContain(Plain, text);
            Assert.DoesNotContain(b64, text);
            Assert.DoesNotContain("\"data\"", text);
        }
    }

    [Fact]
    public async Task SecretData_NeverAppearsInALogLine_EvenWhenTheRequestFails()
    {
        var logs = new CapturingLoggerProvider();
        await using var host = await ApiServerHost.StartAsync(pg, kafka, builderHook: b =>
        {
            b.Logging.AddProvider(logs);
            b.Logging.SetMinimumLevel(Microsoft.Extensions.Logging.LogLevel.Trace);
        });
        using var http = host.AdminClient();
        var ns = await http.CreateNamespaceAsync();
        var url = $"/api/v1/namespaces/{ns}/secrets";
        await http.PostAsync(url, Http.Yaml($"apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: {Plain}\n")).ExpectAsync(201);
        await http.GetAsync($"{url}/db").ExpectAsync(200);
        await http.PostAsync(url, Http.Yaml($"apiVersion: v1\nkind: Secret\nmetadata:\n  name: Bad_Name\nstringData:\n  password: {Plain}\n")).ExpectAsync(422);
        await http.PostAsync(url, Http.Yaml($"apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: {Plain}\n")).ExpectAsync(409);
        await http.PutAsync($"{url}/db", Http.Yaml($"apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  resourceVersion: '1'\nstringData:\n  password: {Plain}\n")).ExpectAsync(409);
        Assert.True(logs.Lines.Count > 10, "expected the requests to be logged");
        var b64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(Plain));
        Assert.DoesNotContain(logs.Lines, l => l.Contains(Plain, StringComparison.Ordinal) || l.Contains(b64, StringComparison.Ordinal));
    }

    [Fact]
    public async Task RotatedKey_OldSecretsStillDecrypt_AndAreReencryptedAtStart()
    {
        var cs = await pg.CreateDatabaseAsync("rotate");
        var oldKey = "old:" + Convert.ToBase64String(new byte[32].Select((_, i) => (byte)i).ToArray());
        var newKey = "new:" + Convert.ToBase64String(new byte[32].Select((_, i) => (byte)(255 - i)).ToArray());
        string ns;
        await using (var first = await ApiServerHost.StartAsync(pg, kafka, s => s["ApiServer:EncryptionKeys:0"] = oldKey, connectionString: cs))
        {
            using var http = first.AdminClient();
            ns = await http.CreateNamespaceAsync();
            await http.PostAsync($"/api/v1/namespaces/{ns}/secrets", Http.Yaml($"apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: {Plain}\n")).ExpectAsync(201);
        }
        var before = await Db.ScalarAsync<byte[]>(cs, "SELECT secret_data FROM apiserver_objects WHERE kind = 'Secret'");
        Assert.Equal("old", Encoding.UTF8.GetString(before!, 1, before![0]));
        await using (var second = await ApiServerHost.StartAsync(pg, kafka, s => { s["ApiServer:EncryptionKeys:0"] = newKey; s["ApiServer:EncryptionKeys:1"] = oldKey; }, connectionString: cs))
        {
            using var http = second.AdminClient();
            var got = await http.GetAsync($"/api/v1/namespaces/{ns}/secrets/db").ExpectAsync(200);
            Assert.Equal(Plain, Encoding.UTF8.GetString(Convert.FromBase64String((string)got["data"]!["password"]!)));
        }
        var after = await Db.ScalarAsync<byte[]>(cs, "SELECT secret_data FROM apiserver_objects WHERE kind = 'Secret'");
        Assert.Equal("new", Encoding.UTF8.GetString(after!, 1, after![0]));
    }
}
