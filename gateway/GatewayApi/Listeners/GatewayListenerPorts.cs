using System.Collections.Frozen;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Platform.Gateway.Ingresses;

namespace Platform.Gateway.GatewayApi.Listeners;

/// <summary>
/// Where the HTTP and HTTPS listeners of served Gateways are served. A listener port in
/// <c>Gateway:GatewayApi:ListenerPorts</c> is served on the local port it maps to, any other as itself; a local port that is
/// the gateway's own HTTP endpoint (<c>urls</c>, 8080) or HTTPS endpoint (<c>Gateway:Ingress:HttpsUrl</c>, 8443) is served
/// there, and any other is bound at runtime on the host of the gateway's HTTP url, through Kestrel's endpoint configuration
/// reload (<see cref="ListenerEndpointsSource"/>): bound while a listener claims it, closed when none does, the gateway's own
/// endpoints untouched. A port is the oldest claiming Gateway's; a listener of another protocol on it, a port some other socket
/// holds (probed before binding), a port Kestrel then fails to bind (<see cref="ConfirmBindsAsync"/>: the probe checks one address,
/// Kestrel may bind more, and another process may take the port in between) or a protocol the own endpoint does not speak leaves
/// the listener <c>PortUnavailable</c>.
/// An HTTPS port answers with the certificates of <see cref="IngressCertificates"/> by SNI, as the own HTTPS endpoint does;
/// only HTTPRoutes answer on these ports (<see cref="Routing.GatewayApiOnlyPorts"/>).
/// </summary>
internal sealed partial class GatewayListenerPorts
{
    /// <summary>A listener of a Gateway asking for its port.</summary>
    public sealed record Claim(string Listener, int Port, bool Https);

    /// <summary>
    /// Per listener whose port cannot be served, why; <see cref="Held"/>: a port is held by another socket, so it may free up;
    /// <see cref="Changed"/>: the other Gateways whose listeners' outcome this claim changed.
    /// </summary>
    public sealed record Outcome(IReadOnlyDictionary<string, string> Unavailable, bool Held, IReadOnlyList<string> Changed);

    private const string EndpointPrefix = "GatewayListener";

    private readonly Lock _lock = new();
    private readonly Dictionary<string, (DateTimeOffset Created, IReadOnlyList<Claim> Claims)> _claims = new(StringComparer.Ordinal);
    private Dictionary<string, Dictionary<string, string>> _outcomes = new(StringComparer.Ordinal);
    private readonly ListenerEndpointsSource _source = new();
    private readonly FrozenDictionary<int, ListenerTarget> _map;
    private readonly IServiceProvider _services;
    private readonly IngressCertificates _certificates;
    private readonly Routing.GatewayApiOnlyPorts _gatewayApiOnly;
    private readonly ILogger<GatewayListenerPorts> _logger;
    private readonly string _host;
    private readonly IPAddress _probe;
    private readonly int _configuredHttp;
    private readonly int? _configuredHttps;
    private Dictionary<int, bool> _desired = [];
    private Dictionary<int, bool> _published = [];
    // Ports handed to Kestrel and not yet seen among its addresses; ports Kestrel failed to bind, why, and until when that holds.
    private readonly HashSet<int> _unconfirmed = [];
    private readonly Dictionary<int, (string Why, long Until)> _bindFailures = [];
    private bool _started;
    // Read on Kestrel's rebind and on every request of an HTTPRoute, written under the lock.
    private volatile FrozenDictionary<int, bool> _bound = FrozenDictionary<int, bool>.Empty;
    private volatile int _ownHttp;
    private volatile int _ownHttps;

    public GatewayListenerPorts(IConfiguration configuration, IOptions<GatewayApiOptions> options, IngressCertificates certificates,
        Routing.GatewayApiOnlyPorts gatewayApiOnly, IServiceProvider services, IHostApplicationLifetime lifetime, ILogger<GatewayListenerPorts> logger)
    {
        _gatewayApiOnly = gatewayApiOnly;
        _services = services;
        _certificates = certificates;
        _logger = logger;
        var http = BindingAddress.Parse(OwnHttpUrl(configuration));
        (_host, _configuredHttp, _ownHttp) = (http.Host, http.Port, http.Port);
        if (configuration[$"{IngressOptions.Section}:HttpsUrl"] is { Length: > 0 } httpsUrl)
            _ownHttps = (_configuredHttps = BindingAddress.Parse(httpsUrl).Port).Value;
        _probe = ProbeAddress(_host);
        _map = (options.Value.ListenerPorts is { } text
            ? ListenerPortMap.Parse(text, []).ToDictionary(e => e.Key, e => Local(e.Value))
            : new Dictionary<int, ListenerTarget> { [80] = ListenerTarget.OwnHttp, [443] = _configuredHttps is null ? Local(8443) : ListenerTarget.OwnHttps })
            .ToFrozenDictionary();
        lifetime.ApplicationStarted.Register(OnStarted);
    }

    /// <summary>Where a listener's port is served.</summary>
    public ListenerTarget TargetOf(int listenerPort) => _map.TryGetValue(listenerPort, out var t) ? t : Local(listenerPort);

    /// <summary>The local port of <paramref name="target"/> (the own endpoints' as Kestrel bound them); cheap, for every request.</summary>
    public int LocalPort(ListenerTarget target) => target.Kind switch
    {
        ListenerTargetKind.OwnHttp => _ownHttp,
        ListenerTargetKind.OwnHttps => _ownHttps,
        _ => target.Port,
    };

    /// <summary>The configuration Kestrel reloads its endpoints from: the app's <c>Kestrel</c> section, then the listeners' ports.</summary>
    public IConfiguration KestrelConfiguration(IConfiguration kestrelSection) =>
        new ConfigurationBuilder().AddConfiguration(kestrelSection).Add(_source).Build();

    /// <summary>Kestrel's endpoint defaults: a listeners' HTTPS port gets TLS with the certificate for the client's SNI name.</summary>
    public void ConfigureEndpoint(ListenOptions listen)
    {
        if (listen.IPEndPoint is not { } endpoint || !_bound.TryGetValue(endpoint.Port, out var https) || !https) return;
        listen.Protocols = HttpProtocols.Http1AndHttp2;
        listen.UseHttps(o => o.ServerCertificateSelector = (_, name) => _certificates.Select(name));
    }

    /// <summary>Replaces what the Gateway <paramref name="gateway"/> (<c>ns/name</c>) claims; none releases its ports.</summary>
    public Outcome Set(string gateway, DateTimeOffset created, IReadOnlyList<Claim> claims)
    {
        lock (_lock)
        {
            if (claims.Count == 0) _claims.Remove(gateway);
            else _claims[gateway] = (created, claims);
            var (outcomes, held) = Recompute();
            var changed = outcomes.Keys.Concat(_outcomes.Keys).Distinct(StringComparer.Ordinal)
                .Where(g => g != gateway && !Same(outcomes.GetValueOrDefault(g), _outcomes.GetValueOrDefault(g))).ToList();
            _outcomes = outcomes;
            return new Outcome(outcomes.GetValueOrDefault(gateway) ?? [], held.Contains(gateway), changed);
        }
    }

    private (Dictionary<string, Dictionary<string, string>> Outcomes, HashSet<string> Held) Recompute()
    {
        var desired = new Dictionary<int, (bool Https, string Owner)>();
        var outcomes = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        var held = new HashSet<string>(StringComparer.Ordinal);
        var probed = new Dictionary<int, string?>();
        foreach (var (gateway, (_, claims)) in _claims.OrderBy(c => c.Value.Created).ThenBy(c => c.Key, StringComparer.Ordinal))
        {
            var unavailable = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var c in claims)
            {
                var target = TargetOf(c.Port);
                var where = target == ListenerTarget.Bound(c.Port) ? $"port {c.Port}" : $"port {c.Port} (local port {LocalPort(target)})";
                string? why = null;
                if (target.Kind != ListenerTargetKind.Bound)
                {
                    if (c.Https != (target.Kind == ListenerTargetKind.OwnHttps))
                        why = $"{where} is the gateway's own {Protocol(!c.Https)} endpoint; a {Protocol(c.Https)} listener cannot use it";
                }
                else if (desired.TryGetValue(target.Port, out var taken))
                {
                    if (taken.Https != c.Https) why = $"{where} is served as {Protocol(taken.Https)} for {taken.Owner}";
                }
                else if (!_published.ContainsKey(target.Port) && HeldBy(target.Port, probed) is { } error)
                {
                    why = $"{where} cannot be bound on {_host}: {error}";
                    held.Add(gateway);
                }
                else if (_bindFailures.TryGetValue(target.Port, out var failed) && failed.Until > Environment.TickCount64)
                {
                    why = $"{where} could not be bound on {_host}: {failed.Why}";
                    held.Add(gateway);
                }
                else desired[target.Port] = (c.Https, $"listener \"{c.Listener}\" of Gateway {gateway}");
                if (why is not null) unavailable[c.Listener] = why;
            }
            outcomes[gateway] = unavailable;
        }
        _desired = desired.ToDictionary(d => d.Key, d => d.Value.Https);
        Publish();
        return (outcomes, held);
    }

    /// <summary>Hands Kestrel the ports wanted now, once it listens (before, the urls it binds would give way to them).</summary>
    private void Publish()
    {
        if (!_started || (_desired.Count == _published.Count && _desired.All(d => _published.TryGetValue(d.Key, out var h) && h == d.Value))) return;
        var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (port, https) in _desired)
            data[$"Endpoints:{EndpointPrefix}{port}:Url"] = $"{(https ? "https" : "http")}://{_host}:{port}";
        foreach (var port in _published.Keys.Where(p => !_desired.ContainsKey(p))) LogClosing(_logger, port);
        foreach (var (port, https) in _desired.Where(d => !_published.TryGetValue(d.Key, out var h) || h != d.Value)) LogBinding(_logger, port, Protocol(https), _host);
        _unconfirmed.UnionWith(_desired.Keys.Where(p => !_published.ContainsKey(p)));
        _unconfirmed.IntersectWith(_desired.Keys);
        _bound = _desired.ToFrozenDictionary();
        _gatewayApiOnly.Set(_desired.Keys);
        _published = new(_desired);
        _source.Replace(data);
    }

    /// <summary>
    /// Waits until Kestrel lists every port handed to it since the last call among its addresses, at most
    /// <paramref name="timeout"/>. Kestrel binds reloaded endpoints in the background and only logs a failure, so a port it
    /// did not bind in that time is taken back (the next <see cref="Set"/> reports it <c>PortUnavailable</c> and tries again
    /// once <paramref name="retryAfter"/> has passed). True when a port failed: the claims must be set again.
    /// </summary>
    public async Task<bool> ConfirmBindsAsync(TimeSpan timeout, TimeSpan retryAfter, CancellationToken ct)
    {
        var deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        while (true)
        {
            var listed = BoundPorts();
            lock (_lock)
            {
                // Before Kestrel listens nothing is handed to it yet (OnStarted does that): wait for it first.
                var waiting = !_started;
                _unconfirmed.ExceptWith(listed);
                if (!waiting && _unconfirmed.Count == 0) return false;
                if (Environment.TickCount64 >= deadline)
                {
                    foreach (var port in _unconfirmed)
                    {
                        var why = $"Kestrel did not bind it within {timeout.TotalSeconds:0} s ({BindError(port)})";
                        _bindFailures[port] = (why, Environment.TickCount64 + (long)retryAfter.TotalMilliseconds);
                        LogBindFailed(_logger, port, _host, why);
                    }
                    var failed = _unconfirmed.Count > 0;
                    _unconfirmed.Clear();
                    return failed;
                }
            }
            await Task.Delay(100, ct);
        }
    }

    private HashSet<int> BoundPorts()
    {
        var addresses = _services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var ports = new HashSet<int>();
        string[] listed;
        try
        {
            listed = [.. addresses];
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            return ports; // Kestrel changed the list while it was copied: the next poll reads it again
        }
        foreach (var address in listed)
        {
            try
            {
                ports.Add(BindingAddress.Parse(address).Port);
            }
            catch (FormatException)
            {
                // not an address of ours (a named pipe or unix socket endpoint)
            }
        }
        return ports;
    }

    /// <summary>What binding the port on each address of the listen host reports now (as Kestrel binds "localhost": both loopbacks).</summary>
    private string BindError(int port)
    {
        var addresses = string.Equals(_host, "localhost", StringComparison.OrdinalIgnoreCase)
            ? [IPAddress.Loopback, IPAddress.IPv6Loopback] : new[] { _probe };
        var errors = addresses.Select(a => TryListen(a, port) is { } error ? $"{a}: {error}" : null).OfType<string>().ToList();
        return errors.Count > 0 ? "binding it now: " + string.Join("; ", errors) : "the gateway's log has Kestrel's error";
    }

    private void OnStarted()
    {
        // Own endpoints on port 0 (tests) get theirs from Kestrel; the first http and https addresses are the own ones.
        var addresses = _services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        if (_configuredHttp == 0 && addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase)) is { } http)
            _ownHttp = BindingAddress.Parse(http).Port;
        if (_configuredHttps == 0 && addresses.FirstOrDefault(a => a.StartsWith("https://", StringComparison.OrdinalIgnoreCase)) is { } https)
            _ownHttps = BindingAddress.Parse(https).Port;
        lock (_lock)
        {
            _started = true;
            Publish();
        }
    }

    private ListenerTarget Local(int port) =>
        _configuredHttp != 0 && port == _configuredHttp ? ListenerTarget.OwnHttp
        : _configuredHttps is { } https && https != 0 && port == https ? ListenerTarget.OwnHttps
        : ListenerTarget.Bound(port);

    /// <summary>Why another socket holds <paramref name="port"/> on the listen address (a probe socket cannot listen there), or null.</summary>
    private string? HeldBy(int port, Dictionary<int, string?> probed)
    {
        if (probed.TryGetValue(port, out var known)) return known;
        var error = TryListen(_probe, port);
        probed[port] = error;
        return error;
    }

    /// <summary>Why a socket cannot listen on <paramref name="port"/> of <paramref name="address"/> now, or null when it can.</summary>
    private static string? TryListen(IPAddress address, int port)
    {
        try
        {
            using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            if (address.Equals(IPAddress.IPv6Any)) socket.DualMode = true;
            socket.Bind(new IPEndPoint(address, port));
            socket.Listen();
            return null;
        }
        catch (SocketException e)
        {
            return e.Message;
        }
    }

    /// <summary>The gateway's own HTTP url: the first HTTP endpoint of the <c>Kestrel</c> section (not an h2c-only one), else of <c>urls</c>.</summary>
    private static string OwnHttpUrl(IConfiguration configuration)
    {
        static bool Http(string? url) => url?.StartsWith("http://", StringComparison.OrdinalIgnoreCase) == true;
        return configuration.GetSection("Kestrel:Endpoints").GetChildren().Where(e => e["Protocols"] != "Http2").Select(e => e["Url"]).FirstOrDefault(Http)
            ?? (configuration["urls"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault(Http)
            ?? "http://127.0.0.1:8080";
    }

    private static IPAddress ProbeAddress(string host) =>
        IPAddress.TryParse(host.Trim('[', ']'), out var ip) ? ip
        : string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) ? IPAddress.Loopback
        : Socket.OSSupportsIPv6 ? IPAddress.IPv6Any : IPAddress.Any;

    private static string Protocol(bool https) => https ? "HTTPS" : "HTTP";

    private static bool Same(Dictionary<string, string>? a, Dictionary<string, string>? b) =>
        (a?.Count ?? 0) == (b?.Count ?? 0) && (a ?? []).All(e => b!.TryGetValue(e.Key, out var v) && v == e.Value);

    [LoggerMessage(EventId = 9062, Level = LogLevel.Information, Message = "Gateway listeners: binding {Protocol} port {Port} on {Host}")]
    private static partial void LogBinding(ILogger logger, int port, string protocol, string host);

    [LoggerMessage(EventId = 9064, Level = LogLevel.Warning, Message = "Gateway listeners: port {Port} on {Host} could not be bound: {Why}")]
    private static partial void LogBindFailed(ILogger logger, int port, string host, string why);

    [LoggerMessage(EventId = 9063, Level = LogLevel.Information, Message = "Gateway listeners: closing port {Port}, no listener claims it")]
    private static partial void LogClosing(ILogger logger, int port);
}
