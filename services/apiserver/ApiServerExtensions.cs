using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Platform.ApiServer.Api;
using Platform.ApiServer.CustomMetrics;
using Platform.ApiServer.Metrics;
using Platform.ApiServer.OpenApi;
using Platform.ApiServer.PodSecurity;
using Platform.ApiServer.Auth;
using Platform.ApiServer.Auth.Oidc;
using Platform.ApiServer.Auth.Rbac;
using Platform.ApiServer.Protobuf;
using Platform.ApiServer.Resources;
using Platform.ApiServer.Secrets;
using Platform.ApiServer.Startup;
using Platform.ApiServer.Storage;
using Platform.ApiServer.Watch;
using Platform.EventBus;
using Platform.Outbox;

namespace Platform.ApiServer;

public static class ApiServerExtensions
{
    /// <summary>Postgres, Kafka, the outbox relay, storage, auth and the API services.</summary>
    public static WebApplicationBuilder AddApiServer(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var config = builder.Configuration;
        services.AddOptions<ApiServerOptions>()
            .BindConfiguration(ApiServerOptions.Section)
            .PostConfigure(o =>
            {
                if (string.IsNullOrWhiteSpace(o.StateDirectory)) o.StateDirectory = config["PLATFORM_STATE"] ?? Path.Combine(Directory.GetCurrentDirectory(), ".platform");
                if (string.IsNullOrEmpty(o.AdminToken)) o.AdminToken = config["PLATFORM_ADMIN_TOKEN"];
                if (string.IsNullOrEmpty(o.LoopbackCaFile)) o.LoopbackCaFile = config["PLATFORM_CA_FILE"];
            })
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<ApiServerOptions>, ApiServerOptionsValidator>();
        services.AddOptions<PodSecurityOptions>().BindConfiguration(PodSecurityOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PodSecurityOptions>, PodSecurityOptionsValidator>();

        services.AddPlatformDatabase(config);
        services.AddEventBus();
        // Hosted services start in registration order: after the Postgres and Kafka checks, before the relay,
        // so the relay never looks for an outbox table that does not exist yet.
        services.AddHostedService<ApiServerStartup>();
        services.AddHostedService<KubernetesEndpointsReconciler>();
        if (config.GetValue($"{ApiServerOptions.Section}:{nameof(ApiServerOptions.RelayEnabled)}", true)) services.AddOutboxRelay();

        services.AddSingleton<SecretCipher>();
        services.AddSingleton<SecretData>();
        services.AddSingleton<ChangeLog>();
        services.AddSingleton<ChangeNotifier>();
        services.AddSingleton<GroupCommitter>();
        services.AddSingleton<ObjectStore>();
        services.AddSingleton<Admission>();
        services.AddSingleton<PodSecurityAdmission>();
        services.AddSingleton<ResourceService>();
        services.AddSingleton<ServiceAllocation.ServiceAllocator>();
        services.AddSingleton<DeletionService>();
        services.AddSingleton<Disruption.EvictionService>();
        services.AddSingleton<SubresourceService>();
        services.AddSingleton<BatchBindingService>();
        services.AddSingleton<TokenRequests>();
        services.AddSingleton<OpenApiDocuments>();
        services.AddSingleton<WatchStreamer>();
        services.AddSingleton(_ => new ProtobufDecoder(ProtoSchema.Kubernetes));
        services.AddSingleton<BodyReader>();
        services.AddSingleton<TokenStore>();
        services.AddSingleton<ServiceAccountTokens>();
        services.AddOidcAuthenticator();
        services.AddSingleton<Authenticator>();
        services.AddSingleton<LoopbackInformers>();
        services.AddHostedService(sp => sp.GetRequiredService<LoopbackInformers>());
        services.AddSingleton<RbacAuthorizer>();
        services.AddSingleton<Authorizer>();
        services.AddSingleton<RbacBootstrap>();
        services.AddPodLogs();
        services.AddResourceMetricsApi();
        services.AddCustomMetricsApi();
        services.AddPortForward();
        services.AddPodExec();
        services.AddHostedService<HistoryCompactor>();
        services.AddSingleton<AuditLog>();
        services.AddHostedService(sp => sp.GetRequiredService<AuditLog>());

        services.AddAuthentication(BearerTokenHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, BearerTokenHandler>(BearerTokenHandler.SchemeName, null);
        services.AddAuthorization();
        return builder;
    }

    public static WebApplication MapApiServer(this WebApplication app)
    {
        app.UseWebSockets();
        var audit = app.Services.GetRequiredService<AuditLog>();
        app.Use(audit.InvokeAsync);
        app.UseAuthentication();
        app.Use(ImpersonationMiddleware.InvokeAsync);
        app.UseAuthorization();
        app.MapTokenApi();
        app.MapTokenReviewApi();
        app.MapBatchBindingApi();
        app.MapAccessReviewApi();
        app.MapPodLogApi();
        app.MapResourceMetricsApi();
        app.MapCustomMetricsApi();
        app.MapHpaV1Api();
        app.MapPortForwardApi();
        app.MapPodExecApi();
        app.MapDiscoveryApi();
        app.MapOpenApi();
        app.MapResourceApi();
        return app;
    }
}
