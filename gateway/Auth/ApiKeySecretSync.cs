using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Platform.ApiServer.Client.Informers;
using Platform.Contracts.Resources;

namespace Platform.Gateway.Auth;

/// <summary>
/// API keys kept as Secrets in the apiserver: those labelled <c>Gateway:Auth:ApiKeySecrets:Label</c>
/// (<c>gateway.platform.io/api-key</c>, any value), with <c>data.sha256</c> (hex SHA-256 of the key, base64 as Secret
/// data is) and optional <c>data.roles</c> (comma list), from the gateway's Secret informer
/// (<see cref="Configuration.GatewaySecrets"/>, shared with Ingress TLS), which follows <c>platform.secrets</c>. Each
/// version held becomes the key <c>namespace/name</c> in the <see cref="ApiKeyStore"/>, valid for the Route resources
/// of that namespace only; a deleted Secret, one whose label went away or whose data is not a key removes it.
/// </summary>
internal sealed class ApiKeySecretSync : IHostedService
{
    private readonly ApiKeyStore _store;
    private readonly Informer<Secret> _informer;
    private readonly string _label;

    /// <summary>Asks for the informer at construction, before any hosted service starts, so no event finds it missing.</summary>
    public ApiKeySecretSync(SharedInformerFactory informers, InformerSource source, ApiKeyStore store, IOptions<AuthOptions> options)
    {
        _store = store;
        _label = options.Value.ApiKeySecrets.Label;
        _informer = Configuration.GatewaySecrets.For(informers, source);
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _informer.AddEventHandler(added: Put, updated: (_, secret) => Put(secret), deleted: secret => _store.RemoveSecretKey(NamespaceOf(secret), secret.Metadata.Name!));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Put(Secret secret)
    {
        if (secret.Metadata.Labels?.ContainsKey(_label) == true && Decode(secret) is { } key) _store.SetSecretKey(NamespaceOf(secret), secret.Metadata.Name!, key);
        else _store.RemoveSecretKey(NamespaceOf(secret), secret.Metadata.Name!);
    }

    private static string NamespaceOf(Secret secret) => secret.Metadata.Namespace ?? SystemNamespaces.Default;

    private static ApiKeyStore.StoredKey? Decode(Secret secret)
    {
        if (secret.Data?.GetValueOrDefault("sha256") is not { } sha) return null;
        try
        {
            var hash = Convert.FromHexString(Encoding.UTF8.GetString(Convert.FromBase64String(sha)).Trim());
            var roles = secret.Data.GetValueOrDefault("roles") is { } r
                ? Encoding.UTF8.GetString(Convert.FromBase64String(r)).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                : [];
            return hash.Length == 32 ? new ApiKeyStore.StoredKey(hash, roles) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
