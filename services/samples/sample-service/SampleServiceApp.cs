using Platform.Discovery.Client;
using Platform.ServiceDefaults;

namespace Platform.Samples.SampleService;

/// <summary>
/// The seed's first-service/second-service: registers with Eureka under <c>spring:application:name</c>, listens
/// on the port given by <c>PORT</c> or <c>--urls</c> (random when neither), and answers under
/// <c>/{prefix}/**</c> with its port, so a gateway's round robin is visible.
/// </summary>
public static class SampleServiceApp
{
    public const string DefaultName = "my-first-service";

    public static WebApplication Create(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        // In a pod on the pod network every address is the pod's own (POD_IP set): listen on all, so probes, port
        // forwarding and other pods reach it at the podIP; on the host, loopback only.
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
            builder.WebHost.UseUrls($"http://{(builder.Configuration["POD_IP"] is { Length: > 0 } ? "0.0.0.0" : "127.0.0.1")}:{builder.Configuration["PORT"] ?? "0"}");
        builder.AddPlatformDefaults();
        builder.Services.AddOptions<SampleOptions>().Configure<IConfiguration>((o, config) =>
        {
            o.Name = config["spring:application:name"] ?? DefaultName;
            o.PathPrefix = config["Sample:PathPrefix"] ?? (o.Name.StartsWith("my-", StringComparison.OrdinalIgnoreCase) ? o.Name[3..] : o.Name);
        });
        if (string.IsNullOrEmpty(builder.Configuration["spring:application:name"]))
            builder.Configuration["spring:application:name"] = DefaultName;
        builder.Services.AddEurekaDiscoveryClient();
        builder.Services.AddHttpClient(SampleEndpoints.DiscoveryClientName, c => c.Timeout = SampleEndpoints.CallTimeout).AddServiceDiscovery();

        var app = builder.Build();
        app.MapPlatformDefaults();
        app.MapSampleEndpoints();
        return app;
    }
}
