using System.Net;
using System.Text.Json;
using Platform.ConfigServer.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace Platform.ConfigServer.Tests.Environment;

public sealed class FileFormatTests
{
    private static TempRepo Repo() => new TempRepo()
        .With("application.yml", "shared:\n  timeout: 30\n")
        .With("billing.yml", "billing:\n  currency: EUR\n  limits: [10, 20]\n  url: http://${billing.host}:${billing.port:9000}\n  host: pay.local\n  debug: false\n")
        .With("billing-dev.yml", "billing:\n  currency: USD\n")
        .With("v2/billing.yml", "billing:\n  currency: CHF\n");

    /// <summary>What a Spring client would see: the JSON sources merged, highest precedence first, placeholders resolved.</summary>
    private static async Task<Dictionary<string, string>> MergedFromJsonAsync(HttpClient client, string path)
    {
        var env = JsonDocument.Parse(await client.GetStringAsync(path + "?resolvePlaceholders=true")).RootElement;
        var merged = new Dictionary<string, string>();
        foreach (var source in env.GetProperty("propertySources").EnumerateArray())
        {
            foreach (var p in source.GetProperty("source").EnumerateObject())
                merged.TryAdd(p.Name, p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText());
        }
        return merged;
    }

    [Fact]
    public async Task GetProperties_MatchesMergedJson()
    {
        using var repo = Repo();
        await using var host = await ConfigServerHost.StartNativeAsync(repo.Path);
        using var client = host.CreateClient();

        var text = await client.GetStringAsync("/billing-dev.properties");
        var fromFile = text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(": ", 2)).ToDictionary(p => p[0], p => p[1]);

        Assert.Equal(await MergedFromJsonAsync(client, "/billing/dev"), fromFile);
        Assert.Equal("USD", fromFile["billing.currency"]);
        Assert.Equal("http://pay.local:9000", fromFile["billing.url"]);
    }

    [Fact]
    public async Task GetYaml_MatchesMergedJsonAsNestedDocument()
    {
        using var repo = Repo();
        await using var host = await ConfigServerHost.StartNativeAsync(repo.Path);
        using var client = host.CreateClient();

        var yaml = new YamlStream();
        yaml.Load(new StringReader(await client.GetStringAsync("/billing-dev.yml")));
        var flat = new Dictionary<string, string>();
        Flatten(yaml.Documents[0].RootNode, "", flat);

        Assert.Equal(await MergedFromJsonAsync(client, "/billing/dev"), flat);
        Assert.Equal("20", flat["billing.limits[1]"]);
    }

    [Fact]
    public async Task GetJsonDocument_WithLabel_IsNestedAndUsesLabelFolder()
    {
        using var repo = Repo();
        await using var host = await ConfigServerHost.StartNativeAsync(repo.Path);
        using var client = host.CreateClient();

        var doc = JsonDocument.Parse(await client.GetStringAsync("/v2/billing-default.json")).RootElement;

        Assert.Equal("CHF", doc.GetProperty("billing").GetProperty("currency").GetString());
        Assert.Equal(30, doc.GetProperty("shared").GetProperty("timeout").GetInt32());
        Assert.False(doc.GetProperty("billing").GetProperty("debug").GetBoolean());
    }

    [Fact]
    public async Task GetYaml_UnknownLabel_Returns404()
    {
        using var repo = Repo();
        await using var host = await ConfigServerHost.StartNativeAsync(repo.Path);
        using var client = host.CreateClient();

        var response = await client.GetAsync("/v9/billing-dev.yml");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private static void Flatten(YamlNode node, string prefix, Dictionary<string, string> into)
    {
        switch (node)
        {
            case YamlMappingNode map:
                foreach (var (k, v) in map.Children) Flatten(v, prefix.Length == 0 ? ((YamlScalarNode)k).Value! : $"{prefix}.{((YamlScalarNode)k).Value}", into);
                break;
            case YamlSequenceNode seq:
                for (var i = 0; i < seq.Children.Count; i++) Flatten(seq.Children[i], $"{prefix}[{i}]", into);
                break;
            case YamlScalarNode s:
                into[prefix] = s.Value!;
                break;
        }
    }
}
