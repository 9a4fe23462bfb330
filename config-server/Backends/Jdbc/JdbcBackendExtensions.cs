using Microsoft.Extensions.Options;
using Npgsql;

namespace Platform.ConfigServer.Backends.Jdbc;

internal static class JdbcBackendExtensions
{
    /// <summary>Registers the Postgres backend when <c>ConfigServer:Jdbc:ConnectionString</c> is set; returns how many backends it added.</summary>
    public static int AddJdbcBackend(this WebApplicationBuilder builder)
    {
        if (string.IsNullOrWhiteSpace(builder.Configuration[JdbcOptions.Section + ":ConnectionString"])) return 0;
        builder.Services.AddOptions<JdbcOptions>().BindConfiguration(JdbcOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<JdbcOptions>, JdbcOptionsValidator>();
        builder.Services.AddSingleton(sp => NpgsqlDataSource.Create(sp.GetRequiredService<IOptions<JdbcOptions>>().Value.ConnectionString!));
        builder.Services.AddSingleton<IEnvironmentRepository, JdbcEnvironmentRepository>();
        builder.Services.AddHealthChecks().AddCheck<JdbcHealthCheck>("config-jdbc", tags: ["ready"]);
        if (builder.Configuration.GetValue<bool>(JdbcOptions.Section + ":PublishChanges"))
        {
            if (!builder.Configuration.GetValue("ConfigServer:Bus:Enabled", true))
                throw new OptionsValidationException(JdbcOptions.Section, typeof(JdbcOptions),
                    [$"{JdbcOptions.Section}:PublishChanges: needs the bus (ConfigServer:Bus:Enabled is false)"]);
            builder.Services.AddHostedService<JdbcChangePublisher>();
        }
        return 1;
    }
}
