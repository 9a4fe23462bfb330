using Confluent.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Platform.EventBus.Kafka;

namespace Platform.EventBus.Tests;

/// <summary>
/// The Kafka security settings (a SASL user per component): validated at start naming the key, and applied to every
/// kind of client config. The development broker has no authentication, so no broker checks the credentials here.
/// </summary>
public sealed class KafkaSecurityOptionsTests
{
    private static KafkaOptions Options(params (string Key, string Value)[] settings)
    {
        var config = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)).Append(new("Kafka:BootstrapServers", "127.0.0.1:9092")))
            .Build();
        using var provider = new ServiceCollection().AddSingleton<IConfiguration>(config).AddLogging().AddEventBus().BuildServiceProvider();
        return provider.GetRequiredService<IOptions<KafkaOptions>>().Value;
    }

    [Fact]
    public void Sasl_IsAppliedToProducersConsumersAndAdminClients_AsThisComponentsUser()
    {
        var o = Options(("Kafka:SecurityProtocol", "SaslSsl"), ("Kafka:SaslMechanism", "ScramSha256"),
            ("Kafka:SaslUsername", "scheduler"), ("Kafka:SaslPassword", "s3cret"));
        ClientConfig[] clients = [o.ApplyTo(new ProducerConfig()), o.ApplyTo(new ConsumerConfig { GroupId = "g" }), o.ApplyTo(new AdminClientConfig())];
        Assert.All(clients, c =>
        {
            Assert.Equal("127.0.0.1:9092", c.BootstrapServers);
            Assert.Equal(SecurityProtocol.SaslSsl, c.SecurityProtocol);
            Assert.Equal(SaslMechanism.ScramSha256, c.SaslMechanism);
            Assert.Equal("scheduler", c.SaslUsername);
            Assert.Equal("s3cret", c.SaslPassword);
        });
    }

    [Fact]
    public void Plaintext_SendsNoCredentials()
    {
        var c = Options().ApplyTo(new ProducerConfig());
        Assert.Equal(SecurityProtocol.Plaintext, c.SecurityProtocol);
        Assert.Null(c.SaslUsername);
        Assert.Null(c.SaslPassword);
    }

    [Theory]
    [InlineData("SaslPlaintext", null, "pw", "Kafka:SaslUsername: required with Kafka:SecurityProtocol SaslPlaintext")]
    [InlineData("SaslSsl", "user", null, "Kafka:SaslPassword: required with Kafka:SecurityProtocol SaslSsl")]
    [InlineData("Plaintext", "user", "pw", "Kafka:SaslUsername/SaslPassword: set, but Kafka:SecurityProtocol is Plaintext")]
    public void IncompleteOrPointlessCredentials_AreRefusedNamingTheKey(string protocol, string? user, string? password, string expected)
    {
        var settings = new List<(string, string)> { ("Kafka:SecurityProtocol", protocol) };
        if (user is not null) settings.Add(("Kafka:SaslUsername", user));
        if (password is not null) settings.Add(("Kafka:SaslPassword", password));
        var refused = Assert.Throws<OptionsValidationException>(() => Options([.. settings]));
        Assert.Contains(expected, refused.Message);
        if (password is not null) Assert.DoesNotContain(password, refused.Message);
    }

    [Fact]
    public void AMissingCaFile_IsRefused()
    {
        var refused = Assert.Throws<OptionsValidationException>(() => Options(("Kafka:SecurityProtocol", "Ssl"), ("Kafka:SslCaLocation", "/nonexistent/ca.pem")));
        Assert.Contains("Kafka:SslCaLocation: '/nonexistent/ca.pem' does not exist", refused.Message);
    }
}
