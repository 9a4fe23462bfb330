using Platform.Connect.Api.Transforms;
using Platform.Connect.Plugins;

namespace Platform.Connect.Runtime;

/// <summary>Builds <c>key.converter</c> / <c>value.converter</c> with their <c>key.converter.*</c> settings (JSON by default, as Kafka's worker).</summary>
internal static class ConverterFactory
{
    public static IConverter Create(IReadOnlyDictionary<string, string> config, PluginRegistry plugins, bool isKey)
    {
        var key = isKey ? ConnectorConfig.KeyConverter : ConnectorConfig.ValueConverter;
        var name = config.GetValueOrDefault(key) ?? ConnectorConfig.DefaultConverter;
        var plugin = plugins.Find(name, PluginKind.Converter) ?? throw new InvalidOperationException($"{key}: Class {name} could not be found.");
        var converter = plugins.Create<IConverter>(plugin);
        var prefix = key + ".";
        converter.Configure(config.Where(p => p.Key.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary(p => p.Key[prefix.Length..], p => p.Value), isKey);
        return converter;
    }
}
