using System.Net;
using System.Text.Json;
using Npgsql;
using Platform.ConfigServer.Tests.Support;
using Platform.Testing;

namespace Platform.ConfigServer.Tests.Backends;

public sealed class JdbcBackendTests(PostgresFixture postgres, NpmConfigClientFixture npm)
    : IClassFixture<PostgresFixture>, IClassFixture<NpmConfigClientFixture>
{
    /// <summary>Spring's JDBC backend schema with rows for two labels.</summary>
    private async Task<string> CreatePropertiesAsync()
    {
        var cs = await postgres.CreateDatabaseAsync("cfg");
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("""
            CREATE TABLE PROPERTIES (ID SERIAL PRIMARY KEY, APPLICATION TEXT, PROFILE TEXT, LABEL TEXT, KEY TEXT, VALUE TEXT);
            INSERT INTO PROPERTIES (APPLICATION, PROFILE, LABEL, KEY, VALUE) VALUES
              ('application', 'default', 'master', 'shared.timeout', '30'),
              ('application', 'dev', 'master', 'shared.timeout', '5'),
              ('shipping', 'default', 'master', 'shipping.carrier', 'dhl'),
              ('shipping', 'default', 'master', 'shipping.days', '3'),
              ('shipping', 'dev', 'master', 'shipping.days', '1'),
              ('shipping', 'fast', 'master', 'shipping.carrier', 'ups'),
              ('shipping', 'default', 'v2', 'shipping.carrier', 'fedex');
            """, conn);
        await cmd.ExecuteNonQueryAsync();
        return cs;
    }

    private static Task<ConfigServerHost> StartAsync(string cs) =>
        ConfigServerHost.StartAsync(new Dictionary<string, string?> { ["ConfigServer:Jdbc:ConnectionString"] = cs });

    [Fact]
    public async Task Jdbc_Profiles_FollowSpringJdbcOrder()
    {
        await using var host = await StartAsync(await CreatePropertiesAsync());
        using var client = host.CreateClient();

        var env = JsonDocument.Parse(await client.GetStringAsync("/shipping/dev,fast")).RootElement;

        Assert.Equal("master", env.GetProperty("label").GetString());
        Assert.Equal(["shipping-fast", "shipping-dev", "application-dev", "shipping-default", "application-default"],
            env.GetProperty("propertySources").EnumerateArray().Select(s => s.GetProperty("name").GetString()));
        Assert.Equal("ups", env.GetProperty("propertySources")[0].GetProperty("source").GetProperty("shipping.carrier").GetString());
    }

    [Fact]
    public async Task Jdbc_Label_SelectsRowsAndUnknownLabelIs404()
    {
        await using var host = await StartAsync(await CreatePropertiesAsync());
        using var client = host.CreateClient();

        var env = JsonDocument.Parse(await client.GetStringAsync("/shipping/default/v2")).RootElement;
        var missing = await client.GetAsync("/shipping/default/v9");

        Assert.Equal("fedex", env.GetProperty("propertySources")[0].GetProperty("source").GetProperty("shipping.carrier").GetString());
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Jdbc_MissingTable_Returns503NamingTheDatabase()
    {
        var cs = await postgres.CreateDatabaseAsync("cfg");
        await using var host = await StartAsync(cs);
        using var client = host.CreateClient();

        var response = await client.GetAsync("/shipping/default");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains(new NpgsqlConnectionStringBuilder(cs).Database!, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task NpmClient_JdbcBackend_LoadsValues()
    {
        await using var host = await StartAsync(await CreatePropertiesAsync());

        var props = await npm.LoadAsync(host.BaseAddress, "shipping", "dev");

        Assert.Equal("1", props.GetProperty("shipping.days").GetString());
        Assert.Equal("dhl", props.GetProperty("shipping.carrier").GetString());
        Assert.Equal("5", props.GetProperty("shared.timeout").GetString());
    }
}
