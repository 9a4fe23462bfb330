using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Platform.Oidc;

public static class IssuerKeysServiceCollectionExtensions
{
    /// <summary>
    /// One <see cref="IssuerKeys"/> with its <see cref="IssuerKeysRefresher"/>, fetching through the named HttpClient
    /// (5 s timeout: an issuer that hangs must not hold requests for long). Returns the client's builder so a host can
    /// give it its own TLS trust.
    /// </summary>
    /// <param name="settings">Given the services, reads the host's options into <see cref="IssuerKeysSettings"/> (called on every fetch).</param>
    public static IHttpClientBuilder AddIssuerKeys(this IServiceCollection services, string httpClientName, Func<IServiceProvider, IssuerKeysSettings> settings)
    {
        var client = services.AddHttpClient(httpClientName, c => c.Timeout = TimeSpan.FromSeconds(5));
        services.TryAddSingleton(sp =>
        {
            var clients = sp.GetRequiredService<IHttpClientFactory>();
            return new IssuerKeys(() => settings(sp), () => clients.CreateClient(httpClientName), sp.GetRequiredService<TimeProvider>());
        });
        services.AddHostedService<IssuerKeysRefresher>();
        return client;
    }
}
