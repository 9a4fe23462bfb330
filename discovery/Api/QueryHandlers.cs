using Platform.Discovery.Registry;

namespace Platform.Discovery.Api;

/// <summary>The read half of the Eureka API. Whole-registry documents come from the response cache.</summary>
internal static class QueryHandlers
{
    public static IResult All(HttpContext context, InstanceRegistry registry, ResponseCache cache) =>
        Cached(context, cache, ResponseCache.FullKind, () => registry.Snapshot());

    public static IResult Delta(HttpContext context, InstanceRegistry registry, ResponseCache cache) =>
        Cached(context, cache, "delta", registry.Delta);

    public static IResult Application(string app, HttpContext context, InstanceRegistry registry)
    {
        var name = RouteValues.App(app);
        var view = registry.Snapshot(i => i.App == name).Applications.FirstOrDefault(a => a.Name == name);
        return view is null ? Problems.NotFound($"application '{name}' has no instances") : EurekaRendering.Application(context, view);
    }

    public static IResult Instance(string app, string id, HttpContext context, InstanceRegistry registry)
    {
        var view = registry.Get(RouteValues.App(app), RouteValues.Id(id));
        return view is null ? Problems.NotFound($"instance '{RouteValues.Id(id)}' of '{RouteValues.App(app)}' is not registered")
            : EurekaRendering.Instance(context, view);
    }

    public static IResult InstanceById(string id, HttpContext context, InstanceRegistry registry)
    {
        var view = registry.GetById(RouteValues.Id(id));
        return view is null ? Problems.NotFound($"instance '{RouteValues.Id(id)}' is not registered") : EurekaRendering.Instance(context, view);
    }

    public static IResult Vip(string vip, HttpContext context, InstanceRegistry registry, ResponseCache cache) =>
        ByVip(context, registry, cache, "vip", Uri.UnescapeDataString(vip), i => i.VipAddress);

    public static IResult Svip(string svip, HttpContext context, InstanceRegistry registry, ResponseCache cache) =>
        ByVip(context, registry, cache, "svip", Uri.UnescapeDataString(svip), i => i.SecureVipAddress);

    /// <summary>A VIP address may list several comma-separated names; any of them matches, case-insensitively.</summary>
    private static IResult ByVip(HttpContext context, InstanceRegistry registry, ResponseCache cache, string kind, string vip,
        Func<InstanceInfo, string?> select)
    {
        bool Matches(InstanceInfo i) => select(i) is { } v &&
            v.Split(',', StringSplitOptions.TrimEntries).Any(x => string.Equals(x, vip, StringComparison.OrdinalIgnoreCase));
        return Cached(context, cache, kind + ":" + vip.ToUpperInvariant(), () => registry.Snapshot(Matches));
    }

    private static IResult Cached(HttpContext context, ResponseCache cache, string kind, Func<ApplicationsView> view)
    {
        var xml = !EurekaRendering.WantsJson(context.Request);
        var gzip = EurekaRendering.WantsGzip(context.Request);
        var body = cache.GetOrRender(new ResponseCache.CacheKey(kind, xml, gzip), Renderer(cache, kind, xml, gzip, view));
        return EurekaRendering.Send(context, body, xml, gzip);
    }

    /// <summary>A gzip variant compresses the cached plain document instead of serializing the registry again.</summary>
    private static Func<byte[]> Renderer(ResponseCache cache, string kind, bool xml, bool gzip, Func<ApplicationsView> view)
    {
        Func<byte[]> plain = () => EurekaRendering.RenderApplications(view(), xml, gzip: false);
        if (!gzip) return plain;
        return () => EurekaRendering.Gzip(cache.GetOrRender(new ResponseCache.CacheKey(kind, xml, false), plain));
    }
}
