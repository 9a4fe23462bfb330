using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Platform.ServiceDefaults;

namespace Platform.Console.Tests.Support;

/// <summary>A platform component as its Program.cs builds it (platform defaults, then its own Add/Map), on a loopback port chosen at run time.</summary>
public static class LoopbackHost
{
    public static async Task<WebApplication> StartAsync(string applicationName, Dictionary<string, string?> settings,
        Action<WebApplicationBuilder> add, Action<WebApplication> map, string? contentRoot = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing", ApplicationName = applicationName, ContentRootPath = contentRoot });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>(settings) { ["Logging:LogLevel:Default"] = "Warning" });
        builder.AddPlatformDefaults();
        add(builder);
        var app = builder.Build();
        app.MapPlatformDefaults();
        map(app);
        await app.StartAsync();
        return app;
    }

    public static Uri AddressOf(WebApplication app) => new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
}
