using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Platform.Discovery.Client.Configuration;

/// <summary>
/// Fills what plain binding cannot: Spring's <c>serviceUrl:defaultZone</c> and hyphenated keys
/// (<c>register-with-eureka</c>, <c>fetch-registry</c>, <c>service-url</c>, <c>instance-id</c>) so an
/// <c>application.yml</c> brought over from Spring works, and the app name from <c>spring:application:name</c>.
/// </summary>
internal sealed class EurekaOptionsSetup(IConfiguration configuration) : IPostConfigureOptions<EurekaClientOptions>, IPostConfigureOptions<EurekaInstanceOptions>
{
    public void PostConfigure(string? name, EurekaClientOptions o)
    {
        var url = configuration["eureka:client:serviceUrl:defaultZone"] ?? configuration["eureka:client:service-url:defaultZone"]
            ?? configuration["eureka:client:serviceUrl"] ?? configuration["eureka:client:service-url"];
        if (!string.IsNullOrWhiteSpace(url)) o.ServiceUrl = url;
        if (bool.TryParse(configuration["eureka:client:register-with-eureka"], out var register)) o.ShouldRegisterWithEureka = register;
        if (bool.TryParse(configuration["eureka:client:fetch-registry"], out var fetch)) o.ShouldFetchRegistry = fetch;
    }

    public void PostConfigure(string? name, EurekaInstanceOptions o)
    {
        o.AppName ??= configuration["spring:application:name"];
        o.InstanceId ??= configuration["eureka:instance:instance-id"];
        o.HostName ??= configuration["eureka:instance:hostname"];
        if (bool.TryParse(configuration["eureka:instance:prefer-ip-address"], out var preferIp)) o.PreferIpAddress = preferIp;
    }
}
