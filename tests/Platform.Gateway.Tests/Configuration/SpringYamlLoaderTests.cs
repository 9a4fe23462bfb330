using Platform.Gateway.Configuration;

namespace Platform.Gateway.Tests.Configuration;

public sealed class SpringYamlLoaderTests
{
    private static string Fixture(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", name));

    [Fact]
    public void Load_Seed004LoadBalancerYaml_ReadsRoutesDefaultFiltersAndArgs()
    {
        var d = SpringYamlLoader.Load(Fixture("seed004-loadbalancer.yml"));

        Assert.Equal(2, d.Routes.Count);
        Assert.Equal(["first-service", "first-service"], d.Routes.Select(r => r.Id));
        Assert.Equal(["lb://my-first-service", "lb://my-second-service"], d.Routes.Select(r => r.Uri));
        Assert.Equal("Path", d.Routes[0].Predicates.Single().Name);
        Assert.Equal(["/first-service/**"], d.Routes[0].Predicates.Single().Shortcut);
        Assert.Equal("CustomFilter", d.Routes[1].Filters.Single().Name);
        var global = Assert.Single(d.DefaultFilters);
        Assert.Equal("GlobalFilter", global.Name);
        Assert.Equal("Spring Cloud Gateway Filter", global.Args["baseMessage"]);
        Assert.Equal("true", global.Args["PostLogger"]);
    }

    [Fact]
    public void Load_NameArgsFormMetadataOrderAndLocator_AreRead()
    {
        var d = SpringYamlLoader.Load("""
            spring:
              cloud:
                gateway:
                  discovery:
                    locator:
                      enabled: true
                      lower-case-service-id: true
                  routes:
                    - id: r1
                      uri: http://127.0.0.1:1
                      order: -5
                      predicates:
                        - name: Path
                          args:
                            patterns: [/a/**, /b/**]
                      filters:
                        - name: RequestRateLimiter
                          args:
                            redis-rate-limiter:
                              replenishRate: 10
                              burstCapacity: 20
                      metadata:
                        response-timeout: 200
                        connect-timeout: 100
            """);

        var r = Assert.Single(d.Routes);
        Assert.Equal(-5, r.Order);
        Assert.Equal("/a/**,/b/**", r.Predicates[0].Args["patterns"]);
        Assert.Equal("10", r.Filters[0].Args["redis-rate-limiter.replenishRate"]);
        Assert.Equal("200", r.Metadata["response-timeout"]);
        Assert.True(d.DiscoveryLocatorEnabled);
        Assert.True(d.DiscoveryLocatorLowerCase);
    }

    [Fact]
    public void Load_RouteWithoutUri_NamesRouteAndField()
    {
        var ex = Assert.Throws<RouteDefinitionException>(() => SpringYamlLoader.Load("""
            spring.cloud.gateway: {}
            spring:
              cloud:
                gateway:
                  routes:
                    - id: broken
                      predicates: [Path=/x]
            """));
        Assert.Contains("'broken'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'uri'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_HttpClientTimeouts_AreReadInSpringsUnits()
    {
        var d = SpringYamlLoader.Load("""
            spring:
              cloud:
                gateway:
                  httpclient:
                    connect-timeout: 1500
                    response-timeout: 5s
            """);

        Assert.Equal(TimeSpan.FromMilliseconds(1500), d.HttpClient.ConnectTimeout);
        Assert.Equal(TimeSpan.FromSeconds(5), d.HttpClient.ResponseTimeout);
        Assert.Equal(HttpClientDefinition.None, SpringYamlLoader.Load("spring: { cloud: { gateway: { routes: [] } } }").HttpClient);
    }

    [Fact]
    public void Load_HttpClientTimeoutNotADuration_NamesTheKey()
    {
        var ex = Assert.Throws<RouteDefinitionException>(() => SpringYamlLoader.Load("""
            spring:
              cloud:
                gateway:
                  httpclient:
                    response-timeout: soon
            """));

        Assert.Contains("spring.cloud.gateway.httpclient.response-timeout: 'soon'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_Gateway43WebfluxPrefix_ReadsRoutesDefaultFiltersCorsAndHttpClient_BesideTheOldPrefix()
    {
        var d = SpringYamlLoader.Load("""
            spring:
              cloud:
                gateway:
                  routes:
                    - id: old
                      uri: http://127.0.0.1:1
                  httpclient:
                    connect-timeout: 1000
                  server:
                    webflux:
                      default-filters: [ 'AddResponseHeader=X-Default, 1' ]
                      globalcors:
                        cors-configurations:
                          '[/**]':
                            allowedOrigins: https://app.example.com
                            allowedMethods: [ GET ]
                      httpclient:
                        response-timeout: 5s
                      routes:
                        - id: new
                          uri: http://127.0.0.1:2
                          predicates: [ Path=/new/** ]
            """);

        Assert.Equal(["old", "new"], d.Routes.Select(r => r.Id));
        Assert.Equal("AddResponseHeader", Assert.Single(d.DefaultFilters).Name);
        Assert.Equal(["https://app.example.com"], Assert.Single(d.Cors).AllowedOrigins);
        Assert.Equal(TimeSpan.FromSeconds(1), d.HttpClient.ConnectTimeout);
        Assert.Equal(TimeSpan.FromSeconds(5), d.HttpClient.ResponseTimeout);
    }
}
