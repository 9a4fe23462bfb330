using Microsoft.Extensions.Options;
using Platform.ApiServer.Client;
using Platform.ApiServer.Client.Informers;
using Platform.ConfigServer.Backends.Kubernetes;
using Platform.ConfigServer.Backends.Secrets;
using Platform.Contracts.Resources;
using Platform.ServiceDefaults;

namespace Platform.ConfigServer.Backends.ConfigMaps;

internal static class ConfigMapBackendExtensions
{
    /// <summary>
    /// Registers the ConfigMap backend when <c>ConfigServer:ConfigMaps:Enabled</c>, with the Secrets beside it when
    /// <c>ConfigServer:Secrets:Enabled</c>; returns how many backends it added. The caller registers the event bus once,
    /// for this consumer and the refresh publisher alike.
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
        }).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ConfigMapOptions>, ConfigMapOptionsValidator>();
        builder.Services.AddSingleton<Security.DelegatedAuth>();
        builder.Services.AddSingleton(sp => new Security.ConfigNamespaces(sp.GetRequiredService<Security.DelegatedAuth>(),
            sp.GetRequiredService<IOptions<ConfigMapOptions>>().Value.Namespace));
        builder.Services.AddSingleton<IEnvironmentRepository, ConfigMapEnvironmentRepository>();
        builder.Services.AddApiClient(sp =>
        {
            var o = sp.GetRequiredService<IOptions<ConfigMapOptions>>().Value;
            return ApiConnection.FromSetting(o.ApiServerUrl, o.Token, o.ApiServerCaFile, $"{ConfigMapOptions.Section}:ApiServerUrl");
        });
        // ConfigMaps first: at each level of precedence they come before the Secrets.
        builder.Services.AddConfigDataSource<ConfigMapSource, ConfigMap>();
        var topics = new Dictionary<string, string> { [section["Topic"] ?? new ConfigMapOptions().Topic] = ResourceKinds.ConfigMap.Plural };
        if (builder.AddSecretSource() is { } secretTopic) topics[secretTopic] = ResourceKinds.Secret.Plural;
        // Every replica serves every ConfigMap and Secret, so each process is a group of its own.
        builder.Services.AddSharedInformers($"config-server-configmaps-{Guid.NewGuid():N}", topics,
            c => c.AutoOffsetReset = Confluent.Kafka.AutoOffsetReset.Earliest);
        // Ready once the first lists are served: before that a client would get config without them.
        builder.Services.AddHealthChecks().AddInformersSynced("configmaps", PlatformDefaultsExtensions.ReadyTag);
        return 1;
    }
}
