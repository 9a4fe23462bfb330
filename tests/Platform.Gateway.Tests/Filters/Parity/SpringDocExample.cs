using Platform.Gateway.Tests.Infrastructure;

namespace Platform.Gateway.Tests.Filters.Parity;

/// <summary>
/// A Spring Cloud Gateway documentation example, pasted unchanged into <c>Fixtures/spring-docs/</c>; a test swaps only
/// the hosts it names (example.org ...) for its own loopback upstreams, since nothing may leave the machine.
/// </summary>
internal static class SpringDocExample
{
    public static string Yaml(string name, params (string From, string To)[] hosts)
    {
        var yaml = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "spring-docs", name + ".yml"));
        foreach (var (from, to) in hosts)
        {
            Assert.Contains(from, yaml, StringComparison.Ordinal);
            yaml = yaml.Replace(from, to, StringComparison.Ordinal);
        }
        return yaml;
    }

    public static Task<GatewayHost> StartAsync(string name, params (string From, string To)[] hosts) =>
        GatewayHost.StartAsync(Yaml(name, hosts));
}
