using System.Globalization;
using System.Text;
using Confluent.Kafka;
using Platform.EventBus.Kafka;

namespace Platform.Connect.Runtime;

/// <summary>
/// A sink connector's dead-letter topic (<c>errors.deadletterqueue.topic.name</c>): the original key and value bytes,
/// and with <c>errors.deadletterqueue.context.headers.enable</c> the <c>__connect.errors.*</c> headers Kafka Connect adds.
/// </summary>
internal sealed class DeadLetterQueue : IDisposable
{
    private readonly IProducer<byte[]?, byte[]?> _producer;
    private readonly string _topic;
    private readonly bool _headers;
    private readonly TaskId _task;

    private DeadLetterQueue(IProducer<byte[]?, byte[]?> producer, string topic, bool headers, TaskId task)
    {
        _producer = producer;
        _topic = topic;
        _headers = headers;
        _task = task;
    }

    public static DeadLetterQueue? Create(IReadOnlyDictionary<string, string> config, KafkaOptions kafka, TaskId task)
    {
        var topic = config.GetValueOrDefault(ConnectorConfig.DlqTopic, "").Trim();
        if (topic.Length == 0) return null;
        var producer = new ProducerBuilder<byte[]?, byte[]?>(kafka.ApplyTo(new ProducerConfig { Acks = Acks.All, EnableIdempotence = true }))
            .SetLogHandler((_, _) => { }).Build();
        var headers = bool.TryParse(config.GetValueOrDefault(ConnectorConfig.DlqContextHeaders), out var h) && h;
        return new DeadLetterQueue(producer, topic, headers, task);
    }

    /// <summary>Writes the failed record and returns once the broker has it (only then is its offset committed).</summary>
    public async Task ReportAsync(ConsumeResult<byte[]?, byte[]?> original, ErrorStage stage, string className, Exception error, CancellationToken cancellationToken)
    {
        var message = new Message<byte[]?, byte[]?> { Key = original.Message.Key, Value = original.Message.Value, Headers = [] };
        if (original.Message.Headers is { } h) foreach (var header in h) message.Headers.Add(header.Key, header.GetValueBytes());
        if (_headers)
        {
            void Add(string key, string? value) => message.Headers.Add("__connect.errors." + key, value is null ? null : Encoding.UTF8.GetBytes(value));
            Add("topic", original.Topic);
            Add("partition", original.Partition.Value.ToString(CultureInfo.InvariantCulture));
            Add("offset", original.Offset.Value.ToString(CultureInfo.InvariantCulture));
            Add("connector.name", _task.Connector);
            Add("task.id", _task.Task.ToString(CultureInfo.InvariantCulture));
            Add("stage", stage.Name());
            Add("class.name", className);
            Add("exception.class.name", error.GetType().FullName);
            Add("exception.message", error.Message);
            Add("exception.stacktrace", error.ToString());
        }
        await _producer.ProduceAsync(_topic, message, cancellationToken);
    }

    public void Dispose()
    {
        _producer.Flush(TimeSpan.FromSeconds(5));
        _producer.Dispose();
    }
}
