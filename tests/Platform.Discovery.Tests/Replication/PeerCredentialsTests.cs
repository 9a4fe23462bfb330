using System.Collections.Concurrent;
using Platform.Discovery.Tests.Infrastructure;
using Platform.Testing;

namespace Platform.Discovery.Tests.Replication;

/// <summary>
/// A peer URL may carry the registry's user and password (<c>http://user:password@host:8761/eureka/</c>, as
/// <c>./platform up --ha</c> writes it): the logs, <c>/eureka/server/state</c> and the dashboard name the peer without them.
/// </summary>
public sealed class PeerCredentialsTests
{
    private const string Password = "peer-secret-7f3a9c";

    [Fact]
    public async Task APeersPassword_IsInNoLogLine_NorInTheServerStateOrTheDashboard()
    {
        var unreachable = Network.FreeTcpPort();
        var logs = new CapturedLogs();
        await using var server = await TestDiscoveryServer.StartAsync(new Dictionary<string, string?>
        {
            ["eureka:client:serviceUrl:defaultZone"] = $"http://platform:{Password}@127.0.0.1:{unreachable}/eureka/",
        }, logs: logs);

        var failed = await Eventually.WaitAsync(
            () => Task.FromResult(logs.Lines.FirstOrDefault(l => l.Contains("could not copy the registry from peer", StringComparison.Ordinal))),
            TimeSpan.FromSeconds(15), "the failed copy from the unreachable peer to be logged");
        Assert.Contains($"http://127.0.0.1:{unreachable}/eureka/", failed);

        using var root = new HttpClient { BaseAddress = server.BaseUrl };
        var state = await root.GetStringAsync("eureka/server/state");
        Assert.Contains($"127.0.0.1:{unreachable}", state);
        var dashboard = await root.GetStringAsync("/");
        Assert.Contains($"127.0.0.1:{unreachable}", dashboard);

        Assert.DoesNotContain(logs.Lines, l => l.Contains(Password, StringComparison.Ordinal));
        Assert.DoesNotContain(Password, state);
        Assert.DoesNotContain(Password, dashboard);
    }

    /// <summary>Every formatted message and its structured values, as a log sink would receive them.</summary>
    private sealed class CapturedLogs : ILoggerProvider, ILogger
    {
        private readonly ConcurrentQueue<string> _lines = new();
        public IReadOnlyCollection<string> Lines => _lines;
        public ILogger CreateLogger(string categoryName) => this;
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}")) : "";
            _lines.Enqueue($"{formatter(state, exception)} {values} {exception}");
        }

        public void Dispose() { }
    }
}
