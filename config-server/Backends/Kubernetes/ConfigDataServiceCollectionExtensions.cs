using Platform.Contracts.Resources;

namespace Platform.ConfigServer.Backends.Kubernetes;

internal static class ConfigDataServiceCollectionExtensions
{
    /// <summary>
    /// Registers one source of the Kubernetes backends and the sync that feeds it from the kit's informer of
    /// <typeparamref name="T"/>. Sources take precedence over each other in the order they are added.
    /// </summary>
    public static IServiceCollection AddConfigDataSource<TSource, T>(this IServiceCollection services)
        where TSource : class, IConfigDataSource where T : Resource
    {
        services.AddSingleton<TSource>();
        services.AddSingleton<IConfigDataSource>(sp => sp.GetRequiredService<TSource>());
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<ConfigDataSync<T>>(sp, sp.GetRequiredService<TSource>()));
        services.AddHostedService(sp => sp.GetRequiredService<ConfigDataSync<T>>());
        return services;
    }

}
