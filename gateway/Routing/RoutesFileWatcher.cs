using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Platform.Gateway.Configuration;

namespace Platform.Gateway.Routing;

/// <summary>Loads <c>Gateway:RoutesFile</c> at start (failing the start when it is invalid) and again on every change.</summary>
internal sealed partial class RoutesFileWatcher(GatewayRuntime runtime, IOptions<GatewayOptions> options, ILogger<RoutesFileWatcher> logger)
    : BackgroundService
{
    private readonly string? _path = options.Value.RoutesFile is { Length: > 0 } p ? Path.GetFullPath(p) : null;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // The first load happens before the server listens, so a broken file stops the start with its message.
        if (_path is not null) runtime.ApplyFile(SpringYamlLoader.Load(ReadFile(), options.Value.RoutesFileLimits.Budget));
        else runtime.Refresh();
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_path is null) return;
        using var provider = new PhysicalFileProvider(Path.GetDirectoryName(_path)!) { UsePollingFileWatcher = true, UseActivePolling = true };
        while (!stoppingToken.IsCancellationRequested)
        {
            var changed = new TaskCompletionSource();
            using (ChangeToken.OnChange(() => provider.Watch(Path.GetFileName(_path)), () => changed.TrySetResult()))
            using (stoppingToken.Register(() => changed.TrySetCanceled(stoppingToken)))
            {
                try { await changed.Task.ConfigureAwait(false); }
                catch (OperationCanceledException) { return; }
            }
            try
            {
                runtime.ApplyFile(SpringYamlLoader.Load(ReadFile(), options.Value.RoutesFileLimits.Budget));
                LogReloaded(logger, _path);
            }
            catch (RouteDefinitionException ex)
            {
                GatewayRuntime.LogRejected(logger, ex.Message);
            }
            catch (IOException ex)
            {
                GatewayRuntime.LogRejected(logger, $"{_path}: {ex.Message}");
            }
        }
    }

    /// <summary>The file's text, refused by size before it is read.</summary>
    private string ReadFile()
    {
        var max = options.Value.RoutesFileLimits.MaxBytes;
        var length = new FileInfo(_path!).Length;
        if (length > max)
            throw new RouteDefinitionException($"gateway YAML: {_path} is {length} bytes, more than {max} (Gateway:RoutesFileLimits:MaxBytes)");
        return File.ReadAllText(_path!);
    }

    [LoggerMessage(EventId = 9003, Level = LogLevel.Information, Message = "reloaded routes from {Path}")]
    private static partial void LogReloaded(ILogger logger, string path);
}
