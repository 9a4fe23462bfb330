using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Platform.Gateway.GatewayApi.Listeners;

internal static class GatewayListenerHosting
{
    /// <summary>
    /// <c>Gateway:GatewayApi</c> options (checked at start) and the ports of Gateways' listeners: Kestrel's endpoints are
    /// reloaded from the app's <c>Kestrel</c> section followed by the listeners' ports (<see cref="GatewayListenerPorts"/>),
    /// so they open and close while the gateway runs.
    /// </summary>
    public static WebApplicationBuilder AddGatewayListeners(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<GatewayApiOptions>().BindConfiguration(GatewayApiOptions.Section).ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GatewayApiOptions>, GatewayApiOptionsValidator>());
        builder.Services.AddSingleton<GatewayListenerPorts>();
        builder.WebHost.ConfigureKestrel((context, kestrel) =>
        {
            var ports = kestrel.ApplicationServices.GetRequiredService<GatewayListenerPorts>();
            kestrel.Configure(ports.KestrelConfiguration(context.Configuration.GetSection("Kestrel")), reloadOnChange: true);
            kestrel.ConfigureEndpointDefaults(ports.ConfigureEndpoint);
        });
        return builder;
    }
}
