using Platform.Gateway.Filters;

namespace Platform.Gateway.Tests.Filters;

/// <summary>A team's filter written against the public extension point: a config class bound from args.</summary>
public sealed class TagGatewayFilterFactory : GatewayFilterFactory<TagGatewayFilterFactory.Config>
{
    public override IReadOnlyList<string> ShortcutFields => ["Value"];

    protected override IGatewayFilter Apply(Config config, FilterContext context) =>
        DelegateGatewayFilter.Pre(ctx => ctx.Request.Headers["X-Tag"] = config.Upper ? config.Value?.ToUpperInvariant() : config.Value);

    public sealed class Config
    {
        public string? Value { get; set; }
        public bool Upper { get; set; }
    }
}
