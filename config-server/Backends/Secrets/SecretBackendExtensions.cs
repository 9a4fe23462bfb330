using Microsoft.Extensions.Options;
using Platform.ConfigServer.Backends.Kubernetes;
using Platform.Contracts.Resources;

namespace Platform.ConfigServer.Backends.Secrets;

internal static class SecretBackendExtensions
{
    /// <summary>
    /// Registers the Secret source when <c>ConfigServer:Secrets:Enabled</c> and returns its topic for the informers'
    /// consumer (null when off). The ConfigMap backend calls it: the Secrets share its apiserver connection, namespace
    /// rules and repository, after the ConfigMaps at each level.
    /// </summary>
    public static string? AddSecretSource(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(SecretOptions.Section);
        if (!section.GetValue<bool>("Enabled")) return null;
        builder.Services.AddOptions<SecretOptions>().BindConfiguration(SecretOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<SecretOptions>, SecretOptionsValidator>();
        builder.Services.AddConfigDataSource<SecretSource, Secret>();
        return section["Topic"] ?? new SecretOptions().Topic;
    }
}
