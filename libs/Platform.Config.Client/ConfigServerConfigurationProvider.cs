using Microsoft.Extensions.Configuration;

namespace Platform.Config.Client;

/// <summary>
/// Configuration from the config server. Loads once when the configuration is built, and again whenever a bus
/// refresh addressed to this application arrives; the reload raises the change token, so
/// <c>IOptionsMonitor</c> and <c>IOptionsSnapshot</c> see the new values without a restart. A failed reload
/// keeps the last good values.
/// </summary>
public sealed class ConfigServerConfigurationProvider : ConfigurationProvider, IDisposable
{
    private readonly ConfigServerClientSettings _settings;
    private readonly ConfigEnvironmentClient _client;
    private readonly object _reloadLock = new();
    private BusRefreshListener? _listener;
    private bool _disposed;

    internal ConfigServerConfigurationProvider(ConfigServerClientSettings settings)
    {
        _settings = settings;
        _client = new ConfigEnvironmentClient(settings);
    }

    public ConfigServerClientSettings Settings => _settings;

    /// <summary>True once the bus listener is positioned on its topic (always false when the bus is off).</summary>
    public bool IsListeningForRefresh => _listener?.IsListening ?? false;

    /// <summary>Number of completed reloads triggered by bus events.</summary>
    public int RefreshCount { get; private set; }

    public override void Load()
    {
        if (!_settings.Enabled) return;
        var data = _client.Load(CancellationToken.None);
        if (data is not null) Data = data;
        if (_settings.BusEnabled && _listener is null && !_disposed) _listener = new BusRefreshListener(_settings, Refresh);
    }

    private void Refresh()
    {
        lock (_reloadLock)
        {
            if (_disposed) return;
            var data = _client.Load(CancellationToken.None);
            if (data is null) return;
            Data = data;
            RefreshCount++;
        }
        OnReload();
    }

    public void Dispose()
    {
        lock (_reloadLock) _disposed = true;
        _listener?.Dispose();
        _client.Dispose();
    }
}
