using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Platform.Testing;

namespace Platform.Outbox.Tests;

/// <summary>
/// The data source every service gets from <c>ConnectionStrings:Platform</c>: statements it repeats are prepared on the
/// connection (parsed and planned once), unless the connection string says otherwise.
/// </summary>
[Collection(InfraCollection.Name)]
public sealed class PlatformDatabaseTests(PostgresFixture postgres)
{
    private const string Repeated = "SELECT count(*) FROM pg_class WHERE relname = $1";

    [Fact]
    public async Task ARepeatedStatement_IsPreparedOnTheConnection()
    {
        await using var db = DataSource(await postgres.CreateDatabaseAsync("prepare"));
        Assert.Equal(PlatformDatabaseExtensions.DefaultMaxAutoPrepare, new NpgsqlConnectionStringBuilder(db.ConnectionString).MaxAutoPrepare);
        Assert.Contains(Repeated, await PreparedAfterRepeatingAsync(db));
    }

    [Fact]
    public async Task MaxAutoPrepareZero_InTheConnectionString_TurnsItOff()
    {
        await using var db = DataSource(await postgres.CreateDatabaseAsync("noprepare") + ";Max Auto Prepare=0");
        Assert.Empty(await PreparedAfterRepeatingAsync(db));
    }

    private static NpgsqlDataSource DataSource(string connectionString)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Platform"] = connectionString }).Build();
        var services = new ServiceCollection().AddPlatformDatabase(config).BuildServiceProvider();
        return services.GetRequiredService<NpgsqlDataSource>();
    }

    /// <summary>Runs <see cref="Repeated"/> ten times on one connection, then lists that connection's prepared statements.</summary>
    private static async Task<List<string>> PreparedAfterRepeatingAsync(NpgsqlDataSource db)
    {
        await using var conn = await db.OpenConnectionAsync();
        for (var i = 0; i < 10; i++)
        {
            await using var cmd = new NpgsqlCommand(Repeated, conn) { Parameters = { new() { Value = "pg_class" } } };
            Assert.Equal(1L, await cmd.ExecuteScalarAsync());
        }
        await using var list = new NpgsqlCommand("SELECT statement FROM pg_prepared_statements", conn);
        await using var reader = await list.ExecuteReaderAsync();
        var prepared = new List<string>();
        while (await reader.ReadAsync()) prepared.Add(reader.GetString(0));
        return prepared;
    }
}
