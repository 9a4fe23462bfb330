using Npgsql;

namespace Platform.ConfigServer.Bench;

/// <summary>The benchmark properties in Spring's JDBC table shape.</summary>
internal static class Jdbc
{
    public static async Task SeedAsync(string connectionString)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("""
            CREATE TABLE PROPERTIES (APPLICATION TEXT, PROFILE TEXT, LABEL TEXT, KEY TEXT, VALUE TEXT);
            CREATE INDEX ON PROPERTIES (APPLICATION, PROFILE, LABEL);
            INSERT INTO PROPERTIES VALUES
              ('application','default','master','shared.timeout','30'), ('application','default','master','shared.retries','3'),
              ('application','default','master','shared.greeting','hello'),
              ('orders','default','master','orders.page-size','20'), ('orders','default','master','orders.region','eu'),
              ('orders','default','master','orders.limits[0]','1'), ('orders','default','master','orders.limits[1]','2'),
              ('orders','default','master','orders.limits[2]','3'), ('orders','default','master','orders.url','http://orders.local/api'),
              ('orders','dev','master','orders.page-size','50'), ('orders','dev','master','orders.debug','true');
            """, conn);
        await cmd.ExecuteNonQueryAsync();
    }
}
