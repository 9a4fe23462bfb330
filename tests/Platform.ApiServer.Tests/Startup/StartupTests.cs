using Microsoft.Extensions.Options;
using Platform.ApiServer.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.ApiServer;

namespace Platform.ApiServer.Tests.Startup;

[Collection(ApiServerCollection.Name)]
public sealed class StartupTests(PostgresFixture pg, KafkaFixture kafka)
{
    [Fact]
    public async Task InvalidSettings_StopTheStart_NamingEveryKey()
    {
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => ApiServerHost.StartAsync(pg, kafka, s =>
        {
            s["ApiServer:EncryptionKeys:0"] = "k1:" + Convert.ToBase64String(new byte[16]);
            s["ApiServer:TopicPrefix"] = "bad prefix!";
            s["ApiServer:AdminToken"] = "short";
            s["ApiServer:ServiceClusterIpRange"] = "10.96.0.1/16";
            s["ApiServer:ServiceNodePortRange"] = "32767-30000";
        }));
        Assert.Contains("ApiServer:ServiceClusterIpRange: '10.96.0.1/16' has host bits set", ex.Message);
        Assert.Contains("ApiServer:ServiceNodePortRange: '32767-30000': ports must be 1-65535 and the first at most the last", ex.Message);
        Assert.Contains("ApiServer:EncryptionKeys:0: the key must be 32 bytes (AES-256), got 16", ex.Message);
        Assert.Contains("ApiServer:TopicPrefix", ex.Message);
        Assert.Contains("ApiServer:AdminToken: must be at least 16 characters", ex.Message);
    }

    [Fact]
    public async Task RestartOnTheSameDatabase_KeepsObjectsAndVersions_AndGeneratedAdminTokenFileIsReused()
    {
        var cs = await pg.CreateDatabaseAsync("restart");
        var state = Directory.CreateTempSubdirectory("apiserver-state-").FullName;
        string rv;
        string token;
        await using (var first = await ApiServerHost.StartAsync(pg, kafka, s => { s["ApiServer:AdminToken"] = null; s["PLATFORM_ADMIN_TOKEN"] = ""; }, connectionString: cs, stateDirectory: state))
        {
            token = File.ReadAllText(Path.Combine(state, "apiserver-admin-token")).Trim();
            if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(state, "apiserver-admin-token")));
            using var http = first.Client(token);
            var cm = await http.PostAsync("/api/v1/namespaces/default/configmaps", Http.Yaml("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: keep\n")).ExpectAsync(201);
            rv = (string)cm["metadata"]!["resourceVersion"]!;
        }
        await using var second = await ApiServerHost.StartAsync(pg, kafka, s => { s["ApiServer:AdminToken"] = null; s["PLATFORM_ADMIN_TOKEN"] = ""; }, connectionString: cs, stateDirectory: state);
        using var again = second.Client(token);
        var kept = await again.GetAsync("/api/v1/namespaces/default/configmaps/keep").ExpectAsync(200);
        Assert.Equal(rv, (string?)kept["metadata"]!["resourceVersion"]);
        var next = await again.PostAsync("/api/v1/namespaces/default/configmaps", Http.Yaml("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: next\n")).ExpectAsync(201);
        Assert.True(long.Parse((string)next["metadata"]!["resourceVersion"]!) > long.Parse(rv));
        // Each migration (1: tables, 2: the apiserver_expect check function, 3: Service allocation tables) applied once, not again at the restart.
        Assert.Equal("1,2,3", await Db.ScalarAsync<string>(cs, "SELECT string_agg(version::text, ',' ORDER BY version) FROM apiserver_migrations"));
    }
}
