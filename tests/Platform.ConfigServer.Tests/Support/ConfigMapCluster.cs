using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Platform.Contracts.Resources;
using Platform.Testing;
using Platform.Testing.ApiServer;

namespace Platform.ConfigServer.Tests.Support;

/// <summary>
/// A real apiserver whose ConfigMaps (and Secrets) a config server follows: they are written through the API, as kubectl
/// would, and reach the config server as its informers see them (a list, then Kafka events).
/// </summary>
internal sealed class ConfigMapCluster : IAsyncDisposable
{
    private readonly ApiServerHost _api;
    private readonly HttpClient _admin;

    private ConfigMapCluster(ApiServerHost api)
    {
        _api = api;
        _admin = api.Client(api.AdminToken);
    }

    public static async Task<ConfigMapCluster> StartAsync(PostgresFixture pg, KafkaFixture kafka) =>
        new(await ApiServerHost.StartAsync(pg, kafka));

    public string Topic => _api.Topic(ResourceKinds.ConfigMap);

    public string SecretTopic => _api.Topic(ResourceKinds.Secret);

    /// <summary>The apiserver as its admin.</summary>
    public HttpClient Admin => _admin;

    /// <summary>The settings of a config server serving this cluster's ConfigMaps of <c>default</c>.</summary>
    public Dictionary<string, string?> ConfigServerSettings(KafkaFixture kafka) => new()
    {
        ["ConfigServer:ConfigMaps:Enabled"] = "true",
        ["ConfigServer:ConfigMaps:Topic"] = Topic,
        ["ConfigServer:ConfigMaps:ApiServerUrl"] = _api.BaseAddress.ToString(),
        ["ConfigServer:ConfigMaps:Token"] = _api.AdminToken,
        ["Kafka:BootstrapServers"] = kafka.BootstrapServers,
    };

    /// <summary>Creates or replaces a ConfigMap labelled for <paramref name="app"/> (and <paramref name="profile"/>).</summary>
    public Task ApplyAsync(string name, string? app, string? profile, Dictionary<string, string> data, string ns = "default") =>
        ApplyObjectAsync(ResourceKinds.ConfigMap, name, ns, app, profile, "data", data);

    /// <summary>
    /// Creates or replaces a Secret from plain values (<c>stringData</c>, which the apiserver stores base64 in
    /// <c>data</c>), labelled for <paramref name="app"/> when given, else found by its name.
    /// </summary>
    public Task ApplySecretAsync(string name, Dictionary<string, string> values, string ns = "default", string? app = null, string? profile = null) =>
        ApplyObjectAsync(ResourceKinds.Secret, name, ns, app, profile, "stringData", values);

    private async Task ApplyObjectAsync(ResourceKind kind, string name, string ns, string? app, string? profile, string field, Dictionary<string, string> data)
    {
        var labels = new JsonObject();
        if (app is not null) labels["config.platform.io/application"] = app;
        if (profile is not null) labels["config.platform.io/profile"] = profile;
        var body = new JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = kind.Kind,
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns, ["labels"] = labels },
            [field] = new JsonObject(data.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
        };
        if (ns != "default") await _admin.PostAsJsonAsync("/api/v1/namespaces", new { apiVersion = "v1", kind = "Namespace", metadata = new { name = ns } });
        var path = kind.ObjectPath(ns, name);
        using var existing = await _admin.GetAsync(path);
        using var r = existing.IsSuccessStatusCode
            ? await _admin.PutAsync(path, Http.Json(body))
            : await _admin.PostAsync(kind.CollectionPath(ns), Http.Json(body));
        Assert.True(r.IsSuccessStatusCode, $"{name}: {(int)r.StatusCode} {await r.Content.ReadAsStringAsync()}");
    }

    public async Task DeleteAsync(string name)
    {
        using var r = await _admin.DeleteAsync(ResourceKinds.ConfigMap.ObjectPath("default", name));
        Assert.True(r.IsSuccessStatusCode, $"{name}: {(int)r.StatusCode}");
    }

    public async ValueTask DisposeAsync()
    {
        _admin.Dispose();
        await _api.DisposeAsync();
    }
}
