using Platform.ConfigServer.Backends.Kubernetes;
using Platform.ConfigServer.Environment;
using Platform.ConfigServer.Limits;

namespace Platform.ConfigServer.Tests.Backends;

/// <summary>Which application a ConfigMap or Secret is for, and how Secret documents that cannot be parsed are reported.</summary>
public sealed class ConfigDataTests
{
    private static ConfigDataEntry Entry(string name, string? app = null, string profile = "default") =>
        new("team-a", name, app, profile, 1, new PropertySource(name, []));

    [Fact]
    public void Serves_UnlabelledSecret_ByItsName_AsSpringCloudKubernetes()
    {
        Assert.True(Entry("orders").Serves("orders", "default"));
        Assert.False(Entry("orders").Serves("orders", "dev"));
        Assert.True(Entry("orders-dev").Serves("orders", "dev"));
        Assert.True(Entry("orders-dev").Serves("orders-dev", "default"));
        Assert.False(Entry("orders-dev").Serves("orders", "default"));
        Assert.True(Entry("application-dev").Serves("application", "dev"));
        // Labels win over the name.
        Assert.True(Entry("db-credentials", "orders", "dev").Serves("orders", "dev"));
        Assert.False(Entry("orders", "billing").Serves("orders", "default"));
    }

    [Fact]
    public void Applications_OfANamedSecret_AreEveryNameItCanSpell()
    {
        Assert.Equal(["my-app-dev", "my-app", "my"], Entry("my-app-dev").Applications);
        Assert.Equal(["orders"], Entry("orders").Applications);
        Assert.Equal(["billing"], Entry("db-credentials", "billing").Applications);
    }

    [Theory]
    [InlineData("application.properties", "pw=LEAKED\\uZZZZ", "not a valid properties document")]
    [InlineData("application.json", "{\"pw\": LEAKED}", "not a valid JSON document (line 1, byte 8)")]
    [InlineData("orders.yaml", "pw: \"LEAKED\n", "not a valid YAML document (line")]
    [InlineData("application.yml", "pw: [LEAKED\nother: {", "not a valid YAML document")]
    [InlineData("application.yml", "? [LEAKED]\n: x\n", "not a valid YAML document")]
    public void Parse_SensitiveDocumentThatCannotBeParsed_NamesTheKeyNotTheText(string key, string text, string reason)
    {
        var ex = Assert.Throws<InvalidDataException>(() =>
            ConfigDataParser.Parse("secret team-a/orders", [KeyValuePair.Create(key, text)], "default", new DocumentLimitsOptions(), sensitive: true));

        Assert.True(ex.Message.StartsWith($"secret team-a/orders data.{key}: {reason}", StringComparison.Ordinal), ex.Message);
        Assert.DoesNotContain("LEAKED", ex.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("application.properties", "pw=x\\uZZZZ", "malformed \\u escape")]
    // YamlDotNet's scanner throws InvalidOperationException here; it used to escape as a 500 (and stop a ConfigMap list).
    [InlineData("application.yml", "pw: [x\nother: {", "configmap team-a/orders data.application.yml")]
    [InlineData("application.yml", "? [x]\n: y\n", "configmap team-a/orders data.application.yml")]
    public void Parse_ConfigMapDocumentThatCannotBeParsed_IsUnreadable_WithTheParsersMessage(string key, string text, string expected)
    {
        var ex = Assert.Throws<InvalidDataException>(() =>
            ConfigDataParser.Parse("configmap team-a/orders", [KeyValuePair.Create(key, text)], "default", new DocumentLimitsOptions(), sensitive: false));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);

    }
}
