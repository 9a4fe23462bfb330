using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Platform.NodeAgent.Api;

/// <summary>
/// The port this agent's Kestrel listens on, advertised as the Node's <c>status.daemonEndpoints.kubeletEndpoint.Port</c>.
/// Read from the server once the host has started, because the configured URL may ask for port 0.
/// </summary>
internal sealed class KubeletEndpoint(IServer server, IHostApplicationLifetime lifetime)
{
    public async Task<int?> PortAsync(CancellationToken ct)
    {
        if (!lifetime.ApplicationStarted.IsCancellationRequested)
        {
            var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
                await started.Task.WaitAsync(ct);
        }
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        foreach (var address in addresses)
        {
            // Wildcard hosts (http://*:7074, http://+:7074) are not URIs; only the port matters here.
            var text = address.Replace("://*", "://localhost", StringComparison.Ordinal).Replace("://+", "://localhost", StringComparison.Ordinal);
            if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttp && uri.Port > 0) return uri.Port;
        }
        return null;
    }
}
