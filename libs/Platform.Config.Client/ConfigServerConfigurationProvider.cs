using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

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

    private readonly ILogger _logger;

    internal ConfigServerConfigurationProvider(ConfigServerClientSettings settings, ILoggerFactory loggerFactory)
    {
        _settings = settings;
        _logger = loggerFactory.CreateLogger("Platform.Config.Client");
        _client = new ConfigEnvironmentClient(settings, _logger);
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
        if (_settings.BusEnabled && _listener is null && !_disposed) _listener = new BusRefreshListener(_settings, Refresh, _logger);
    }

    private void Refresh()
    {
        lock (_reloadLock)
        {
            if (_disposed) return;
            var data = _client.Load(CancellationToken.None);
            if (data is null)
            {
                ClientLog.RefreshKeptOld(_logger);
                return;
            }
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
