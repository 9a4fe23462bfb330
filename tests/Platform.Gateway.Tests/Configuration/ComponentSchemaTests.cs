using Microsoft.Extensions.DependencyInjection;
using Platform.Gateway.Routing;
using Platform.Gateway.Tests.Infrastructure;

namespace Platform.Gateway.Tests.Configuration;

/// <summary>The schemas the apiserver admits Routes with are the gateway's own: every stock factory has one, and no schema names a filter the gateway lacks.</summary>
public sealed class ComponentSchemaTests
{
    [Fact]
    public async Task EveryStockFactory_HasTheSharedSchema_AndEverySchemaAFactory()
    {
        await using var gw = await GatewayHost.StartAsync("spring: { cloud: { gateway: { routes: [] } } }");
        var compiler = gw.Services.GetRequiredService<RouteCompiler>();

        Assert.Equal(FilterSchemas.All.Keys.Order(StringComparer.Ordinal), compiler.FilterFactories.Select(f => f.Name).Order(StringComparer.Ordinal));
        Assert.Equal(PredicateSchemas.All.Keys.Order(StringComparer.Ordinal), compiler.PredicateFactories.Select(p => p.Name).Order(StringComparer.Ordinal));
        // Samples bind their config by reflection; every other factory reads its name and shortcut from the schema.
        var samples = new[] { "CustomFilter", "LoggingFilter", "GlobalFilter" };
        Assert.All(compiler.FilterFactories.Where(f => !samples.Contains(f.Name)), f => Assert.Same(FilterSchemas.All[f.Name], f.Schema));
        Assert.All(compiler.PredicateFactories, p => Assert.Same(PredicateSchemas.All[p.Name], p.Schema));
    }

    [Fact]
    public async Task RoutesFile_UnknownArgumentOfABuiltInFilter_FailsNamingRouteFilterAndArgument()
    {
        var ex = await Assert.ThrowsAnyAsync<Exception>(() => GatewayHost.StartAsync("""
            spring:
              cloud:
                gateway:
                  routes:
                    - id: typo
                      uri: http://127.0.0.1:9
                      filters:
                        - name: AddRequestHeader
                          args: { name: X-A, vlaue: "1" }
            """));
        Assert.Contains("route 'typo': filter AddRequestHeader argument 'vlaue': unknown argument", ex.ToString(), StringComparison.Ordinal);
    }
}
