using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Platform.ConfigServer.Backends;
using Platform.ConfigServer.Backends.ConfigMaps;
using Platform.ConfigServer.Backends.Git;
using Platform.ConfigServer.Backends.Jdbc;
using Platform.ConfigServer.Backends.Native;
using Platform.ConfigServer.Backends.Secrets;
using Platform.ConfigServer.Encryption;
using Platform.ConfigServer.Environment;
using Platform.ConfigServer.Limits;
using Platform.ConfigServer.Refresh;
using Platform.ConfigServer.Security;
using Platform.EventBus;

namespace Platform.ConfigServer;

public static class ConfigServerExtensions
{
    /// <summary>
    /// Backends enabled by configuration (<c>ConfigServer:Native</c>, <c>ConfigServer:Git</c>, <c>ConfigServer:Jdbc</c>,
    /// <c>ConfigServer:ConfigMaps</c> with <c>ConfigServer:Secrets</c>), encryption, authentication and, unless <c>ConfigServer:Bus:Enabled</c> is false, the Kafka bus publisher.
    /// </summary>
    public static WebApplicationBuilder AddConfigServer(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var config = builder.Configuration;
        services.TryAddSingletonTimeProvider();

        services.AddOptions<SecurityOptions>().BindConfiguration(SecurityOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SecurityOptions>, SecurityOptionsValidator>();
        services.AddOptions<EncryptOptions>().BindConfiguration(EncryptOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<EncryptOptions>, EncryptOptionsValidator>();
        services.AddOptions<BusOptions>().BindConfiguration(BusOptions.Section);
        services.AddOptions<DocumentLimitsOptions>().BindConfiguration(DocumentLimitsOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DocumentLimitsOptions>, DocumentLimitsOptionsValidator>();

        services.AddAuthentication(BasicOrBearerHandler.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, BasicOrBearerHandler>(BasicOrBearerHandler.SchemeName, null);
        var securityEnabled = config.GetValue(SecurityOptions.Section + ":Enabled", true);
        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Admin, p => p.RequireAuthenticatedUser())
            .AddPolicy(Policies.Read, p =>
            {
                if (securityEnabled) p.RequireAuthenticatedUser();
                else p.RequireAssertion(_ => true);
            });

        services.AddSingleton<EncryptorProvider>();
        services.AddSingleton<CipherValueDecryptor>();
        services.AddSingleton<EnvironmentService>();
        services.AddSingleton<BusRefreshPublisher>();

        var backends = 0;
        services.AddOptions<NativeOptions>().BindConfiguration(NativeOptions.Section);
        if (config.GetValue<bool>(NativeOptions.Section + ":Enabled"))
        {
            services.AddSingleton<IEnvironmentRepository, NativeEnvironmentRepository>();
            services.AddHealthChecks().AddCheck<NativeHealthCheck>("config-native", tags: ["ready"]);
            backends++;
        }
        backends += builder.AddGitBackend();
        backends += builder.AddJdbcBackend();
        var configMaps = builder.AddConfigMapBackend();
        backends += configMaps;
        if (configMaps == 0 && config.GetValue<bool>(SecretOptions.Section + ":Enabled"))
            throw new OptionsValidationException(SecretOptions.Section, typeof(SecretOptions), [
                $"{SecretOptions.Section}:Enabled: requires {ConfigMapOptions.Section}:Enabled (Secrets are read through its apiserver connection and namespace rules)"]);
        if (backends == 0)
            throw new OptionsValidationException("ConfigServer", typeof(NativeOptions), [
                "ConfigServer:Native:Enabled, ConfigServer:Git:Uri, ConfigServer:Jdbc:ConnectionString or ConfigServer:ConfigMaps:Enabled: configure at least one backend"]);

        // The ConfigMap backend consumes Kafka even when refresh publishing is off; register the bus once.
        if (config.GetValue(BusOptions.Section + ":Enabled", true) || configMaps > 0) services.AddEventBus();
        return builder;
    }

    /// <summary>Maps the Spring Cloud Config API: environment, files, encryption and refresh endpoints.</summary>
    public static WebApplication MapConfigServerApi(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapEncryptionApi();
        app.MapRefreshApi();
        app.MapEnvironmentApi();
        return app;
    }

    private static void TryAddSingletonTimeProvider(this IServiceCollection services)
    {
        if (!services.Any(d => d.ServiceType == typeof(TimeProvider))) services.AddSingleton(TimeProvider.System);
    }
}
