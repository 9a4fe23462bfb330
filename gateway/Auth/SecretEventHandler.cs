using System.Text.Json;
using Microsoft.Extensions.Options;
using Platform.EventBus.Consuming;

namespace Platform.Gateway.Auth;

/// <summary>
/// <c>platform.secrets</c> carries metadata only, never data: an event for a labelled Secret makes the gateway read
/// that Secret from the apiserver; a deleted one (or one whose label went away) removes the key.
/// </summary>
internal sealed class SecretEventHandler(ApiKeySecretClient client, ApiKeyStore store, IOptions<AuthOptions> options) : IEventHandler
{
    public async Task HandleAsync(ConsumedEvent consumed, CancellationToken cancellationToken)
    {
        using var doc = JsonDocument.Parse(consumed.Event.Data);
        var meta = doc.RootElement.GetProperty("metadata");
        var ns = meta.TryGetProperty("namespace", out var n) ? n.GetString() ?? "default" : "default";
        var name = meta.GetProperty("name").GetString() ?? throw new FormatException("Secret event without metadata.name");
        var key = $"{ns}/{name}";
        var labelled = meta.TryGetProperty("labels", out var labels) && labels.ValueKind == JsonValueKind.Object
            && labels.TryGetProperty(options.Value.ApiKeySecrets.Label, out _);
        if (consumed.Event.Type.EndsWith(".deleted", StringComparison.Ordinal) || !labelled)
        {
            store.RemoveSecretKey(key);
            return;
        }
        // Throws on an unreachable apiserver, so the consumer retries with back-off before moving on.
        var current = await client.GetAsync(ns, name, cancellationToken).ConfigureAwait(false);
        if (current is { } c) store.SetSecretKey(c.Name, c.Key);
        else store.RemoveSecretKey(key);
    }
}
