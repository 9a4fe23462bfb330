using System.Globalization;

namespace Platform.Gateway.GatewayApi.Listeners;

/// <summary>
/// <c>Gateway:GatewayApi:ListenerPorts</c> read: <c>listenerPort=localPort</c> pairs separated by commas, each port an
/// integer from 1 to 65535, a listener port given once.
/// </summary>
internal static class ListenerPortMap
{
    public const string Key = GatewayApiOptions.Section + ":ListenerPorts";

    /// <summary>The map, with every entry that cannot be read added to <paramref name="errors"/> (naming the key and the entry).</summary>
    public static Dictionary<int, int> Parse(string text, List<string> errors)
    {
        var map = new Dictionary<int, int>();
        foreach (var entry in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = entry.IndexOf('=');
            if (eq < 0)
            {
                errors.Add($"{Key}: '{entry}' is not listenerPort=localPort (e.g. 80=8080,443=8443)");
                continue;
            }
            var (listener, local) = (entry[..eq].Trim(), entry[(eq + 1)..].Trim());
            if (!Port(listener, out var from)) errors.Add($"{Key}: '{entry}': listener port '{listener}' is not a port (1-65535)");
            else if (!Port(local, out var to)) errors.Add($"{Key}: '{entry}': local port '{local}' is not a port (1-65535)");
            else if (!map.TryAdd(from, to)) errors.Add($"{Key}: '{entry}': listener port {from} is mapped twice");
        }
        return map;
    }

    private static bool Port(string s, out int port) =>
        int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is >= 1 and <= 65535;
}
