using Platform.Testing;

namespace Platform.ApiServer.Tests.Kafka;

/// <summary>kafkajs, the most used Node Kafka client, from the npm registry as installed (no extra codecs).</summary>
public sealed class KafkajsPackage() : NodePackages("kafkajs@2.2.4")
{
    /// <summary>
    /// Consumes <c>count</c> records of a topic from the beginning in a new consumer group and prints each as a JSON line
    /// (partition, key, headers, value); exits 3 when they do not all arrive within 30 s.
    /// </summary>
    public const string ConsumeScript = """
        const { Kafka, logLevel } = require('kafkajs');
        const [brokers, topic, count] = [process.argv[2].split(','), process.argv[3], Number(process.argv[4])];
        const kafka = new Kafka({ clientId: 'platform-compat', brokers, logLevel: logLevel.ERROR });
        const consumer = kafka.consumer({ groupId: 'kafkajs-' + process.pid + '-' + Date.now() });
        setTimeout(() => { process.stderr.write(`only ${seen} of ${count} records within 30 s\n`); process.exit(3); }, 30000);
        let seen = 0;
        (async () => {
          await consumer.connect();
          await consumer.subscribe({ topic, fromBeginning: true });
          await consumer.run({
            eachMessage: async ({ partition, message }) => {
              const headers = Object.fromEntries(Object.entries(message.headers).map(([k, v]) => [k, v.toString()]));
              process.stdout.write(JSON.stringify({ partition, key: message.key.toString(), headers, value: JSON.parse(message.value.toString()) }) + '\n');
              if (++seen === count) process.exit(0);
            },
          });
        })().catch(err => { process.stderr.write(String(err && err.stack || err)); process.exit(2); });
        """;
}
