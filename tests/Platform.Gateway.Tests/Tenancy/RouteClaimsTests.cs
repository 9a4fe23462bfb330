using Platform.Gateway.Configuration;
using Platform.Gateway.Tenancy;

namespace Platform.Gateway.Tests.Tenancy;

/// <summary>Which of two namespaces' Routes is served when their hosts and paths overlap.</summary>
public sealed class RouteClaimsTests
{
    private static readonly DateTimeOffset First = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static RouteDefinition Route(string ns, string name, int minutesLater, string? grant, params string[] predicates) => new()
    {
        Id = $"{ns}/{name}",
        Uri = "lb://web",
        Source = RouteSources.Resource,
        Namespace = ns,
        CreatedAt = First.AddMinutes(minutesLater),
        AllowRoutesFrom = grant,
        Predicates = predicates.Select(ComponentDefinition.ParseShortcut).ToList(),
    };

    private static IReadOnlyList<string> Served(params RouteDefinition[] routes) =>
        RouteClaims.Resolve(routes).Served.Select(r => r.Id).Order().ToList();

    [Theory]
    [InlineData("Path=/shop/**", "Path=/shop/**")]
    [InlineData("Path=/shop/**", "Path=/shop/admin/**")]
    [InlineData("Path=/shop/admin/**", "Path=/shop/**")]
    [InlineData("Path=/shop/**", "Path=/SHOP/cart")]
    [InlineData("Path=/shop/{id}", "Path=/shop/1")]
    [InlineData("Path=/shop/**", "Method=GET")]
    [InlineData("Host=shop.example.org", "Host={team}.example.org")]
    [InlineData("Host=**.example.org", "Host=a.b.example.org")]
    public void LaterRouteOfAnotherNamespace_OverlappingTheFirst_IsNotServed(string first, string later) =>
        Assert.Equal(["team-a/web"], Served(Route("team-a", "web", 0, null, first), Route("team-b", "web", 1, null, later)));

    [Theory]
    [InlineData("Path=/shop/**", "Path=/shopping/**")]
    [InlineData("Path=/shop/cart", "Path=/shop/cart/items")]
    [InlineData("Path=/shop/**", "Path=/blog/**")]
    [InlineData("Host=shop.example.org", "Host=blog.example.org")]
    [InlineData("Host={x}.example.org", "Host=example.net")]
    public void RoutesOfTwoNamespaces_ThatDoNotOverlap_AreBothServed(string first, string later) =>
        Assert.Equal(["team-a/web", "team-b/web"], Served(Route("team-a", "web", 0, null, first), Route("team-b", "web", 1, null, later)));

    [Fact]
    public void FirstCreated_Wins_WhateverTheOrderTheRoutesArrive() =>
        Assert.Equal(["team-b/web"], Served(Route("team-a", "web", 5, null, "Path=/x/**"), Route("team-b", "web", 1, null, "Path=/x/**")));

    [Fact]
    public void RoutesOfOneNamespace_NeverConflict() =>
        Assert.Equal(["team-a/one", "team-a/two"], Served(Route("team-a", "one", 0, null, "Path=/x/**"), Route("team-a", "two", 1, null, "Path=/x/**")));

    [Fact]
    public void FirstRoute_AllowingTheLaterNamespace_SharesItsPaths()
    {
        Assert.Equal(["team-a/web", "team-b/web"], Served(Route("team-a", "web", 0, "team-b", "Path=/x/**"), Route("team-b", "web", 1, null, "Path=/x/api/**")));
        Assert.Equal(["team-a/web"], Served(Route("team-a", "web", 0, "team-c", "Path=/x/**"), Route("team-b", "web", 1, null, "Path=/x/api/**")));
    }

    [Fact]
    public void RouteHeldBack_DoesNotItselfBlockAThirdNamespace()
    {
        var (served, conflicts) = RouteClaims.Resolve([
            Route("team-a", "web", 0, null, "Path=/x/**"),
            Route("team-b", "web", 1, null, "Path=/**"),
            Route("team-c", "web", 2, null, "Path=/y/**"),
        ]);
        Assert.Equal(["team-a/web", "team-c/web"], served.Select(r => r.Id).Order());
        var conflict = Assert.Single(conflicts);
        Assert.Equal(("team-b/web", "team-a/web"), (conflict.RouteId, conflict.HeldBy));
        Assert.Contains("gateway.platform.io/allow-routes-from", conflict.Reason, StringComparison.Ordinal);
    }
}
