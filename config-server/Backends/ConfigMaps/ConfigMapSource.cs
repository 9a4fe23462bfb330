using Microsoft.Extensions.Options;
using Platform.ConfigServer.Backends.Kubernetes;
using Platform.ConfigServer.Environment;
using Platform.ConfigServer.Limits;
using Platform.Contracts.Resources;

namespace Platform.ConfigServer.Backends.ConfigMaps;

/// <summary>
/// ConfigMaps labelled <c>config.platform.io/application</c> (and optionally <c>config.platform.io/profile</c>, default
/// <c>default</c>), named <c>configmap:NS/NAME</c>. Every caller admitted to the namespace sees them: admission is the
/// <c>get configmaps</c> review of <see cref="Security.ConfigNamespaces"/>.
/// </summary>
internal sealed class ConfigMapSource : IConfigDataSource
{
    private readonly ConfigMapOptions _options;
    private readonly DocumentLimitsOptions _limits;

    public ConfigMapSource(IOptions<ConfigMapOptions> options, IOptions<DocumentLimitsOptions> limits)
    {
        _options = options.Value;
        _limits = limits.Value;
        Store = new ConfigDataStore(r => ToEntry((ConfigMap)r));
    }

    public ResourceKind Kind => ResourceKinds.ConfigMap;

    public bool EventsOmitData => false;

    public ConfigDataStore Store { get; }

    public ValueTask<bool> MayServeAsync(ConfigDataEntry entry, EnvironmentRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(true);

    private ConfigDataEntry? ToEntry(ConfigMap configMap)
    {
        var name = configMap.Metadata.Name!;
        var ns = configMap.Metadata.Namespace ?? _options.Namespace;
        if (ConfigDataLabels.ApplicationOf(configMap.Metadata.Labels) is not { } app) return null;
        var profile = ConfigDataLabels.ProfileOf(configMap.Metadata.Labels);
        var properties = ConfigDataParser.Parse($"configmap {ns}/{name}", configMap.Data ?? [], profile, _limits, sensitive: false);
        return new ConfigDataEntry(ns, name, app, profile, Platform.ApiServer.Client.Informers.ObjectKeys.VersionOf(configMap),
            new PropertySource($"configmap:{ns}/{name}", properties));
    }
}
