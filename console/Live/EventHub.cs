using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace Platform.Console.Live;

/// <summary>
/// Fans the consumed events out to every open stream, and keeps the last <see cref="ConsoleOptions.EventBuffer"/> so a
/// page that opens (or reconnects with <c>Last-Event-ID</c>) starts with recent history. A slow page loses its oldest
/// undelivered events, never blocks the consumer.
/// </summary>
internal sealed class EventHub(IOptions<ConsoleOptions> options)
{
    private const int SubscriberQueue = 1000;
    private readonly Lock _lock = new();
    private readonly Queue<LiveEvent> _recent = new();
    private readonly HashSet<Channel<LiveEvent>> _subscribers = [];
    private long _seq;

    public long Publish(Func<long, LiveEvent> create)
    {
        lock (_lock)
        {
            var e = create(++_seq);
            _recent.Enqueue(e);
            while (_recent.Count > options.Value.EventBuffer) _recent.Dequeue();
            foreach (var s in _subscribers) s.Writer.TryWrite(e);
            return e.Seq;
        }
    }

    /// <summary>The retained events after <paramref name="after"/> and, atomically with them, a channel of every later one.</summary>
    public Subscription Subscribe(long after)
    {
        var channel = Channel.CreateBounded<LiveEvent>(new BoundedChannelOptions(SubscriberQueue)
        {
            FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true,
        });
        lock (_lock)
        {
            var backlog = _recent.Where(e => e.Seq > after).ToList();
            _subscribers.Add(channel);
            return new Subscription(this, channel, backlog);
        }
    }

    private void Unsubscribe(Channel<LiveEvent> channel)
    {
        lock (_lock) _subscribers.Remove(channel);
        channel.Writer.TryComplete();
    }

    internal sealed class Subscription(EventHub hub, Channel<LiveEvent> channel, IReadOnlyList<LiveEvent> backlog) : IDisposable
    {
        public IReadOnlyList<LiveEvent> Backlog { get; } = backlog;
        public ChannelReader<LiveEvent> Reader => channel.Reader;
        public void Dispose() => hub.Unsubscribe(channel);
    }
}
