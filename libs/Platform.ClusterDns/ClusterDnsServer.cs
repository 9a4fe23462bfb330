using System.Net;
using ARSoft.Tools.Net.Dns;
using Microsoft.Extensions.Logging;

namespace Platform.ClusterDns;

/// <summary>
/// A DNS server on UDP and TCP: cluster names from <see cref="ClusterDnsResolver"/>, every other name forwarded to
/// the upstream resolvers (the host's by default), as CoreDNS' <c>kubernetes</c> and <c>forward</c> plugins do.
/// </summary>
public sealed class ClusterDnsServer : IAsyncDisposable, IDisposable
{
    private const int TransportTimeoutMs = 5000;
    private readonly ClusterDnsResolver _resolver;
    private readonly IReadOnlyList<IPEndPoint> _upstreams;
    private readonly int _forwardTimeoutMs;
    private readonly ILogger _logger;
    private readonly DnsServer _server;
    private readonly List<DnsClient> _forwarders;

    public ClusterDnsServer(ClusterDnsResolver resolver, ClusterDnsOptions options, IReadOnlyList<IPEndPoint> listen, ILogger logger)
    {
        _resolver = resolver;
        _logger = logger;
        _forwardTimeoutMs = (int)options.ForwardTimeout.TotalMilliseconds;
        _upstreams = Upstreams(options).Where(u => !listen.Contains(u)).ToList();
        Listening = listen;
        var transports = listen.SelectMany(endpoint => new IServerTransport[]
        {
            new UdpServerTransport(endpoint, TransportTimeoutMs),
            new TcpServerTransport(endpoint, TransportTimeoutMs, TransportTimeoutMs),
        }).ToArray();
        _server = new DnsServer(transports);
        _server.QueryReceived += OnQueryAsync;
        _server.ExceptionThrown += (_, e) =>
        {
            _logger.LogDebug(e.Exception, "DNS server: a query could not be handled");
            return Task.CompletedTask;
        };
        // One client per upstream: the port lives in the client's transports.
        _forwarders = _upstreams.Select(u => new DnsClient([u.Address],
            [new UdpClientTransport(u.Port), new TcpClientTransport(u.Port)], disposeTransport: true, _forwardTimeoutMs)).ToList();
    }

    public IReadOnlyList<IPEndPoint> Listening { get; }

    /// <summary>Where names outside the cluster go.</summary>
    public IReadOnlyList<IPEndPoint> Forwarding => _upstreams;

    public void Start()
    {
        _server.Start();
        _logger.LogInformation("Cluster DNS for {Zone} on {Endpoints}, forwarding to {Upstreams}",
            _resolver.Zone, string.Join(", ", Listening), _upstreams.Count == 0 ? "nothing" : string.Join(", ", _upstreams));
    }

    private async Task OnQueryAsync(object sender, QueryReceivedEventArgs e)
    {
        if (e.Query is not DnsMessage query)
            return;
        var response = query.CreateResponseInstance();
        response.IsRecursionAllowed = true;
        if (query.Questions.Count != 1)
        {
            response.ReturnCode = ReturnCode.FormatError;
            e.Response = response;
            return;
        }
        var question = query.Questions[0];
        var answer = _resolver.Resolve(question);
        if (answer is not null)
        {
            response.IsAuthoritiveAnswer = true;
            response.ReturnCode = answer.Code;
            response.AnswerRecords.AddRange(answer.Answers);
            response.AdditionalRecords.AddRange(answer.Additional);
            response.AuthorityRecords.AddRange(answer.Authority);
        }
        else
        {
            await ForwardAsync(question, response);
        }
        e.Response = response;
    }

    private async Task ForwardAsync(DnsQuestion question, DnsMessage response)
    {
        // The upstreams in order, as resolv.conf's nameservers are tried; none answering is SERVFAIL.
        response.ReturnCode = ReturnCode.ServerFailure;
        foreach (var forwarder in _forwarders)
        {
            try
            {
                using var timeout = new CancellationTokenSource(_forwardTimeoutMs * 2);
                var upstream = await forwarder.ResolveAsync(question.Name, question.RecordType, question.RecordClass,
                    new DnsQueryOptions { IsRecursionDesired = true }, timeout.Token);
                if (upstream is null)
                    continue;
                response.ReturnCode = upstream.ReturnCode;
                response.AnswerRecords.AddRange(upstream.AnswerRecords);
                response.AuthorityRecords.AddRange(upstream.AuthorityRecords);
                response.AdditionalRecords.AddRange(upstream.AdditionalRecords.Where(r => r is not OptRecord));
                return;
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or System.Net.Sockets.SocketException)
            {
                _logger.LogDebug(ex, "Forwarding {Name} {Type} failed", question.Name, question.RecordType);
            }
        }
    }

    /// <summary>The configured upstreams, else the nameservers of the host's resolv.conf (loopback stub resolvers included).</summary>
    public static IReadOnlyList<IPEndPoint> Upstreams(ClusterDnsOptions options)
    {
        var configured = options.Upstreams.Count > 0
            ? options.Upstreams
            : File.Exists(options.ResolvConfPath) ? PodResolvConf.Parse(File.ReadAllText(options.ResolvConfPath)).Nameservers : [];
        return configured.Select(u => ParseEndpoint(u, 53)).OfType<IPEndPoint>().ToList();
    }

    /// <summary><c>10.0.0.1</c>, <c>10.0.0.1:5353</c>, <c>[::1]:53</c>; null when it is none of them.</summary>
    public static IPEndPoint? ParseEndpoint(string text, int defaultPort)
    {
        if (IPAddress.TryParse(text, out var bare))
            return new IPEndPoint(bare, defaultPort);
        return IPEndPoint.TryParse(text, out var endpoint) ? endpoint : null;
    }

    public void Dispose()
    {
        _server.Stop();
        ((IDisposable)_server).Dispose();
        foreach (var forwarder in _forwarders) ((IDisposable)forwarder).Dispose();
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
