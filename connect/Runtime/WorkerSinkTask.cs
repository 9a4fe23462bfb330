using Confluent.Kafka;
using Platform.Connect.Api.Connectors;
using Platform.Connect.Api.Data;

namespace Platform.Connect.Runtime;

/// <summary>
/// Runs a sink task: a member of the consumer group <c>connect-&lt;connector&gt;</c> reading <c>topics</c> or
/// <c>topics.regex</c>; each batch is converted, transformed and put; offsets are committed only after the put (and
/// after failed records reached the dead-letter topic), so nothing is acknowledged before it was handled.
/// </summary>
internal sealed class WorkerSinkTask(TaskContext context, ISinkTask task) : TaskRunner(context)
{
    private const int MaxBatch = 500;

    public static string GroupId(string connector) => "connect-" + connector;

    protected override async Task RunAsync(CancellationToken token)
    {
        var config = Context.ConnectorConfig;
        var keyConverter = ConverterFactory.Create(config, Context.Plugins, isKey: true);
        var valueConverter = ConverterFactory.Create(config, Context.Plugins, isKey: false);
        var chain = TransformationChain.Create(config, Context.Plugins);
        var errors = new RetryWithTolerance(config, TimeProvider.System);
        using var dlq = DeadLetterQueue.Create(config, Context.Kafka, Context.Id);
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(Context.Kafka.ApplyTo(new ConsumerConfig
        {
            GroupId = GroupId(Context.Id.Connector),
            ClientId = $"connector-consumer-{Context.Id}",
            EnableAutoCommit = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            PartitionAssignmentStrategy = PartitionAssignmentStrategy.RoundRobin,
            // A worker that died hands its partitions over within the group's session timeout, as its units do.
            SessionTimeoutMs = Context.SessionTimeoutMs,
        })).SetLogHandler((_, _) => { }).Build();
        var topics = config.GetValueOrDefault(ConnectorConfig.Topics, "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var regex = config.GetValueOrDefault(ConnectorConfig.TopicsRegex, "").Trim();
        if (topics.Length > 0) consumer.Subscribe(topics);
        else consumer.Subscribe("^" + regex.TrimStart('^'));
        task.Start(Context.TaskConfig);
        try
        {
            while (await WaitWhilePausedAsync(token))
            {
                var batch = new List<ConsumeResult<byte[]?, byte[]?>>();
                ConsumeResult<byte[]?, byte[]?>? first;
                try
                {
                    first = consumer.Consume(TimeSpan.FromMilliseconds(500));
                }
                catch (ConsumeException ex) when (!ex.Error.IsFatal)
                {
                    // A topic that does not exist yet (the source has not written it): Kafka Connect waits for it too.
                    await Task.Delay(500, token);
                    continue;
                }
                if (first is null) continue;
                batch.Add(first);
                while (batch.Count < MaxBatch && consumer.Consume(TimeSpan.Zero) is { } more) batch.Add(more);

                var records = new List<SinkRecord>();
                foreach (var r in batch)
                {
                    var record = await ConvertAsync(r, keyConverter, valueConverter, chain, errors, dlq, token);
                    if (record is not null) records.Add(record);
                }
                if (records.Count > 0)
                {
                    var (_, failure) = await errors.ExecuteAsync(async ct => { await task.PutAsync(records, ct); return true; }, token);
                    if (failure is not null)
                        foreach (var r in batch) await ReportAsync(dlq, r, ErrorStage.TaskPut, task.GetType().FullName!, failure, token);
                }
                var commit = batch.GroupBy(r => r.TopicPartition)
                    .Select(g => new TopicPartitionOffset(g.Key, new Offset(g.Max(r => r.Offset.Value) + 1))).ToList();
                consumer.Commit(commit);
            }
        }
        finally
        {
            task.Stop();
            consumer.Close();
        }
    }

    private async Task<SinkRecord?> ConvertAsync(ConsumeResult<byte[]?, byte[]?> r, Api.Transforms.IConverter keyConverter, Api.Transforms.IConverter valueConverter,
        TransformationChain chain, RetryWithTolerance errors, DeadLetterQueue? dlq, CancellationToken token)
    {
        var (key, keyError) = await errors.ExecuteAsync(() => keyConverter.ToConnectData(r.Topic, r.Message.Key), token);
        if (keyError is not null)
        {
            await ReportAsync(dlq, r, ErrorStage.KeyConverter, keyConverter.GetType().FullName!, keyError, token);
            return null;
        }
        var (value, valueError) = await errors.ExecuteAsync(() => valueConverter.ToConnectData(r.Topic, r.Message.Value), token);
        if (valueError is not null)
        {
            await ReportAsync(dlq, r, ErrorStage.ValueConverter, valueConverter.GetType().FullName!, valueError, token);
            return null;
        }
        var record = new SinkRecord(r.Topic, r.Partition.Value, key.Schema, key.Value, value.Schema, value.Value, r.Offset.Value,
            r.Message.Timestamp.Type == TimestampType.NotAvailable ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.Message.Timestamp.UnixTimestampMs));
        var (transformed, transformError) = await errors.ExecuteAsync(() => chain.Apply(record), token);
        if (transformError is not null)
        {
            await ReportAsync(dlq, r, ErrorStage.Transformation, "transforms", transformError, token);
            return null;
        }
        return transformed;
    }

    private async Task ReportAsync(DeadLetterQueue? dlq, ConsumeResult<byte[]?, byte[]?> r, ErrorStage stage, string className, Exception error, CancellationToken token)
    {
        if (Context.ConnectorConfig.GetValueOrDefault(ConnectorConfig.ErrorsLogEnable) == "true")
            Context.Logger.LogWarning(error, "task {Task}: error in stage {Stage} for {Topic}-{Partition}@{Offset}; skipped", Id, stage.Name(), r.Topic, r.Partition.Value, r.Offset.Value);
        if (dlq is not null) await dlq.ReportAsync(r, stage, className, error, token);
    }
}
