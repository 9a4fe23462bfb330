using Platform.ApiServer.Client.Informers;
using Platform.Contracts.Resources;

namespace Platform.Gateway.Configuration;

/// <summary>
/// The gateway's one Secret informer (the factory holds one per kind): every Secret the gateway may read, with its
/// data — <c>platform.secrets</c> carries metadata only, so each event makes the informer read that Secret. API keys
/// take the labelled ones (<see cref="Auth.ApiKeySecretSync"/>), Ingress TLS the ones its Ingresses name.
/// </summary>
internal static class GatewaySecrets
{
    public static Informer<Secret> For(SharedInformerFactory informers, InformerSource source) =>
        informers.For<Secret>(ResourceKinds.Secret, o =>
        {
            o.Source = source;
            o.GetOnEvent = true;
        });
}
