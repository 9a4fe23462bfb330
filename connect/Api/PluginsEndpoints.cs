using Platform.Connect.Plugins;
using Platform.Connect.Runtime;

namespace Platform.Connect.Api;

/// <summary>Kafka Connect's ConnectorPluginsResource: <c>GET /connector-plugins</c> and config validation.</summary>
internal static class PluginsEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var g = api.MapGroup("/connector-plugins");
        g.MapGet("", List);
        g.MapGet("/{pluginName}/config", Config);
        g.MapPut("/{pluginName}/config/validate", Validate);
    }

    private static IResult List(HttpRequest request, PluginRegistry plugins)
    {
        var raw = request.Query["connectorsOnly"].ToString();
        var connectorsOnly = raw.Length == 0 || (bool.TryParse(raw, out var b) ? b : throw new ConnectRestException(400, $"connectorsOnly: '{raw}' is not true or false"));
        var list = plugins.All
            .Where(p => !connectorsOnly || p.Kind is PluginKind.Source or PluginKind.Sink)
            .Select(p => new Dictionary<string, string> { ["class"] = p.ClassName, ["type"] = p.KindName, ["version"] = p.Version });
        return TypedResults.Json(list);
    }

    private static IResult Config(string pluginName, PluginRegistry plugins, ConfigValidator validator)
    {
        var plugin = plugins.Find(pluginName) ?? throw new ConnectRestException(404, $"Unknown plugin {pluginName}.");
        if (plugin.Kind is not (PluginKind.Source or PluginKind.Sink))
            return TypedResults.Json(Array.Empty<ConfigKeyInfo>());
        var infos = validator.Validate(new Dictionary<string, string> { [ConnectorConfig.ConnectorClass] = plugin.ClassName });
        return TypedResults.Json(infos.Configs.Select(c => c.Definition));
    }

    private static async Task<IResult> Validate(string pluginName, HttpRequest request, RequestBody body, PluginRegistry plugins,
        ConfigValidator validator, CancellationToken ct)
    {
        var config = RequestBody.Config(await body.ReadAsync(request, ct), "config");
        var plugin = plugins.Find(pluginName, PluginKind.Source, PluginKind.Sink)
            ?? throw new ConnectRestException(400, $"Failed to find any class that implements Connector and which name matches {pluginName}");
        if (config.TryGetValue(ConnectorConfig.ConnectorClass, out var included) && plugins.Find(included) != plugin)
            throw new ConnectRestException(400, $"Included connector type {included} does not match request type {pluginName}");
        config[ConnectorConfig.ConnectorClass] = pluginName;
        return TypedResults.Json(validator.Validate(config));
    }
}
