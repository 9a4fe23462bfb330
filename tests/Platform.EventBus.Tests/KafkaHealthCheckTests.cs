using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Platform.EventBus.Kafka;

namespace Platform.EventBus.Tests;

/// <summary>The <c>kafka</c> readiness check, through the health check service as <c>/readyz</c> runs it.</summary>
public sealed class KafkaHealthCheckTests
{
    [Fact]
    public async Task EveryProbeUsesTheSameClient_ASilentClusterIsDegradedForTheGrace_ThenUnhealthy()
    {
        using var cluster = MockKafkaCluster.Start(1);
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var provider = EventBus(cluster.BootstrapServers, time);
        var health = provider.GetRequiredService<HealthCheckService>();
        async Task<HealthReportEntry> KafkaAsync() => (await health.CheckHealthAsync(r => r.Name == "kafka")).Entries["kafka"];

        // Each probe made its own admin client before (a connection and librdkafka's threads that nothing closed).
        var registration = provider.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations.Single(r => r.Name == "kafka");
        Assert.Same(registration.Factory(provider), registration.Factory(provider));
        for (var i = 0; i < 3; i++) Assert.Equal(HealthStatus.Healthy, (await KafkaAsync()).Status);

        cluster.SetBrokerUp(1, false);
        var degraded = await KafkaAsync();
        Assert.Equal(HealthStatus.Degraded, degraded.Status);
        Assert.Contains($"Kafka:BootstrapServers {cluster.BootstrapServers}", degraded.Description, StringComparison.Ordinal);
        Assert.Contains("last answer", degraded.Description, StringComparison.Ordinal);

        time.Advance(TimeSpan.FromSeconds(15)); // the check's grace after the last answer
        Assert.Equal(HealthStatus.Unhealthy, (await KafkaAsync()).Status);

        cluster.SetBrokerUp(1, true);
        await Platform.Testing.Eventually.WaitAsync(async () => (await KafkaAsync()).Status == HealthStatus.Healthy,
            TimeSpan.FromSeconds(30), "healthy once the broker is back");
    }

    [Fact]
    public async Task ABrokerThatNeverAnswered_IsUnhealthyAtOnce()
    {
        var port = Platform.Testing.Network.FreeTcpPort();
        await using var provider = EventBus($"127.0.0.1:{port}", TimeProvider.System);

        var entry = (await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync(r => r.Name == "kafka")).Entries["kafka"];

        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.StartsWith($"Kafka:BootstrapServers 127.0.0.1:{port}: ", entry.Description, StringComparison.Ordinal);
    }

    /// <summary>What a service gets from <c>AddEventBus()</c>, with <paramref name="bootstrap"/> and <paramref name="time"/>.</summary>
    private static ServiceProvider EventBus(string bootstrap, TimeProvider time)
    {
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder()
                .AddInMemoryCollection(new Dictionary<string, string?> { ["Kafka:BootstrapServers"] = bootstrap }).Build())
            .AddSingleton(time)
            .AddLogging();
        services.AddEventBus();
        return services.BuildServiceProvider();
    }
}
