using System.Text.Json;
using Platform.Testing;

namespace Platform.ConfigServer.Tests.Support;

/// <summary>
/// The npm <c>cloud-config-client</c>, installed unchanged from the npm registry into a temp folder once per
/// test run, and driven by a small node script that prints the properties the client computed.
/// </summary>
public sealed class NpmConfigClientFixture() : NodePackages("cloud-config-client@1.6.2")
{
    private const string LoadScript = """
        const client = require('cloud-config-client');
        const options = JSON.parse(process.argv[2]);
        client.load(options)
          .then(config => { process.stdout.write(JSON.stringify({ properties: config.properties })); })
          .catch(err => { process.stderr.write(String(err && err.stack || err)); process.exit(2); });
        """;

    /// <summary>Loads configuration with the npm client and returns its merged properties.</summary>
    public async Task<JsonElement> LoadAsync(Uri endpoint, string name, string profiles, string? label = null)
    {
        var options = JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["endpoint"] = endpoint.ToString().TrimEnd('/'),
            ["name"] = name,
            ["profiles"] = profiles,
            ["label"] = label,
            ["auth"] = new Dictionary<string, string> { ["user"] = ConfigServerHost.User, ["pass"] = ConfigServerHost.Password },
        });
        var result = await RunScriptAsync("load.js", LoadScript, [options], TimeSpan.FromSeconds(60));
        if (result.ExitCode != 0) throw new InvalidOperationException($"node cloud-config-client exited {result.ExitCode}: {result.Stdout}{result.Stderr}");
        return JsonDocument.Parse(result.Stdout).RootElement.GetProperty("properties");
    }
}
