using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Platform.ApiServer.Client.Events;
using Platform.ApiServer.Client.Informers;
using Platform.EventBus;

namespace Platform.ApiServer.Client;

/// <summary>
/// Where the apiserver is (one replica or several, <see cref="ApiServerEndpoints"/>), who the caller is, and the CA its
/// certificate is checked against (null: the system's roots).
/// </summary>
public sealed record ApiConnection(ApiServerEndpoints Endpoints, string Token, string? CaFile = null)
{
    public ApiConnection(Uri baseAddress, string token, string? caFile = null) : this(ApiServerEndpoints.Parse(baseAddress.GetLeftPart(UriPartial.Authority)), token, caFile)
    {
    }

    /// <summary>The first replica: what requests are addressed to before <see cref="FailoverHandler"/> picks one.</summary>
    public Uri BaseAddress => Endpoints.Replicas[0];

    /// <summary>From a setting holding one URL or a comma-separated list of replicas; a bad value throws naming <paramref name="setting"/>.</summary>
    public static ApiConnection FromSetting(string urls, string token, string? caFile, string setting) =>
        new(ApiServerEndpoints.Parse(urls, setting), token, caFile);
}

/// <summary>Registers the client kit: one <see cref="ApiClient"/>, one informer factory fed by Kafka, one event recorder.</summary>
public static class ClientKitServiceCollectionExtensions
{
    public const string HttpClientName = "platform-apiserver";

    /// <summary>The <see cref="ApiClient"/> singleton over a named <see cref="HttpClient"/> with the caller's bearer token.</summary>
    public static IServiceCollection AddApiClient(this IServiceCollection services, Func<IServiceProvider, ApiConnection> connection)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpClient(HttpClientName, (sp, http) =>
        {
            var c = connection(sp);
            http.BaseAddress = c.BaseAddress;
            http.Timeout = TimeSpan.FromSeconds(30);
            if (c.Token.Length > 0) http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", c.Token);
        }).ConfigurePrimaryHttpMessageHandler(sp => ApiServerTrust.Handler(connection(sp).CaFile))
          // Several replicas: a request that cannot reach one goes to the next (one endpoint set for the process).
          .AddHttpMessageHandler(sp => new FailoverHandler(sp.GetRequiredService<ApiConnectionEndpoints>().For(connection(sp))));
        services.TryAddSingleton<ApiConnectionEndpoints>();
        services.TryAddSingleton(sp => new ApiClient(sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName),
            new ApiClientOptions(), sp.GetRequiredService<TimeProvider>()));
        return services;
    }

    /// <summary>
    /// The <see cref="SharedInformerFactory"/>, started with the host, and one consumer-group member that feeds it
    /// <c>{topicPrefix}{plural}</c> for every plural given. Components ask the factory for the informers they read.
    /// </summary>
    public static IServiceCollection AddSharedInformers(this IServiceCollection services, string groupId, string topicPrefix, IEnumerable<string> plurals) =>
        services.AddSharedInformers(groupId, InformerEventSource.Topics(topicPrefix, plurals));

    /// <summary>As above, with each kind's topic named: topic → plural.</summary>
    public static IServiceCollection AddSharedInformers(this IServiceCollection services, string groupId, IReadOnlyDictionary<string, string> pluralByTopic,
        Action<Platform.EventBus.Consuming.EventConsumerOptions>? consumer = null)
    {
        services.AddInformerFactory();
        services.TryAddSingleton(sp => new InformerEventSource(sp.GetRequiredService<SharedInformerFactory>(), pluralByTopic));
        services.AddEventConsumer<InformerEventSource>(c =>
        {
            c.GroupId = groupId;
            foreach (var topic in pluralByTopic.Keys) c.Topics.Add(topic);
            consumer?.Invoke(c);
        });
        return services;
    }

    /// <summary>
    /// The <see cref="SharedInformerFactory"/>, started with the host, without a Kafka consumer: for a process whose
    /// informers follow the apiserver's watch (<see cref="InformerSource.Watch"/>). <see cref="AddSharedInformers(IServiceCollection, string, IReadOnlyDictionary{string, string}, Action{Platform.EventBus.Consuming.EventConsumerOptions}?)"/> includes it.
    /// </summary>
    public static IServiceCollection AddInformerFactory(this IServiceCollection services)
    {
        services.TryAddSingleton(sp => new SharedInformerFactory(sp.GetRequiredService<ApiClient>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, InformerFactoryHost>());
        return services;
    }

    /// <summary>The <see cref="EventRecorder"/> singleton, running as a hosted service.</summary>
    public static IServiceCollection AddEventRecorder(this IServiceCollection services, Func<IServiceProvider, EventRecorderOptions> options)
    {
        services.TryAddSingleton(sp => new EventRecorder(sp.GetRequiredService<ApiClient>(), options(sp), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<EventRecorder>>()));
        services.AddHostedService(sp => sp.GetRequiredService<EventRecorder>());
        return services;
    }

    /// <summary>The replica a process uses is shared by all its handlers (the factory makes a handler every few minutes).</summary>
    internal sealed class ApiConnectionEndpoints
    {
        private ApiServerEndpoints? _endpoints;

        public ApiServerEndpoints For(ApiConnection connection) => LazyInitializer.EnsureInitialized(ref _endpoints, () => connection.Endpoints);
    }

    private sealed class InformerFactoryHost(SharedInformerFactory factory) : BackgroundService
    {
        protected override Task ExecuteAsync(CancellationToken stoppingToken) => factory.Start(stoppingToken);
    }
}
