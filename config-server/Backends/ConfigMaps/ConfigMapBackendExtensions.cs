using Microsoft.Extensions.Options;
using Platform.ApiServer.Client;
using Platform.ApiServer.Client.Informers;
using Platform.ServiceDefaults;

namespace Platform.ConfigServer.Backends.ConfigMaps;

internal static class ConfigMapBackendExtensions
{
    /// <summary>
    /// Registers the ConfigMap backend when <c>ConfigServer:ConfigMaps:Enabled</c>; returns how many backends it added.
    /// The caller registers the event bus once, for this consumer and the refresh publisher alike.
    /// </summary>
    public static int AddConfigMapBackend(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(ConfigMapOptions.Section);
        if (!section.GetValue<bool>("Enabled")) return 0;
        var config = builder.Configuration;
        builder.Services.AddOptions<ConfigMapOptions>().BindConfiguration(ConfigMapOptions.Section).PostConfigure(o =>
        {
            if (string.IsNullOrWhiteSpace(o.ApiServerUrl)) o.ApiServerUrl = config["PLATFORM_APISERVER_URL"] ?? "http://127.0.0.1:7070";
            if (string.IsNullOrWhiteSpace(o.ApiServerCaFile)) o.ApiServerCaFile = config["PLATFORM_CA_FILE"];
        });
        builder.Services.AddSingleton<ConfigMapStore>();
        builder.Services.AddSingleton<Security.DelegatedAuth>();
        builder.Services.AddSingleton(sp => new Security.ConfigNamespaces(sp.GetRequiredService<Security.DelegatedAuth>(),
            sp.GetRequiredService<IOptions<ConfigMapOptions>>().Value.Namespace));
        builder.Services.AddSingleton<IEnvironmentRepository, ConfigMapEnvironmentRepository>();
        builder.Services.AddApiClient(sp =>
        {
            var o = sp.GetRequiredService<IOptions<ConfigMapOptions>>().Value;
            return new ApiConnection(new Uri(o.ApiServerUrl), o.Token, o.ApiServerCaFile);
        });
        var topic = section["Topic"] ?? new ConfigMapOptions().Topic;
        // Every replica serves every ConfigMap, so each process is a group of its own.
        builder.Services.AddSharedInformers($"config-server-configmaps-{Guid.NewGuid():N}", new Dictionary<string, string> { [topic] = "configmaps" },
            c => c.AutoOffsetReset = Confluent.Kafka.AutoOffsetReset.Earliest);
        builder.Services.AddSingleton<ConfigMapSync>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ConfigMapSync>());
        // Ready once the ConfigMaps of the first list are served: before that a client would get config without them.
        builder.Services.AddHealthChecks().AddInformersSynced("configmaps", PlatformDefaultsExtensions.ReadyTag);
        return 1;
    }
}
