using Platform.Gateway.Configuration;

namespace Platform.Gateway.Filters.Headers;

/// <summary><c>SecureHeaders</c>: Spring's recommended security headers, each overridable or removable with <c>disable</c>.</summary>
internal sealed class SecureHeadersGatewayFilterFactory() : BuiltInFilterFactory(FilterSchemas.SecureHeaders)
{
    private static readonly (string Header, string Key, string Default)[] Defaults =
    [
        ("X-Xss-Protection", "xssProtectionHeader", "1 ; mode=block"),
        ("Strict-Transport-Security", "strictTransportSecurity", "max-age=631138519"),
        ("X-Frame-Options", "frameOptions", "DENY"),
        ("X-Content-Type-Options", "contentTypeOptions", "nosniff"),
        ("Referrer-Policy", "referrerPolicy", "no-referrer"),
        ("Content-Security-Policy", "contentSecurityPolicy", "default-src 'self' https:; font-src 'self' https: data:; img-src 'self' https: data:; object-src 'none'; script-src https:; style-src 'self' https: 'unsafe-inline'"),
        ("X-Download-Options", "downloadOptions", "noopen"),
        ("X-Permitted-Cross-Domain-Policies", "permittedCrossDomainPolicies", "none"),
    ];


    public override IGatewayFilter Create(ComponentArgs args, FilterContext context)
    {
        var disabled = args.List("disable", required: false).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var headers = Defaults.Where(d => !disabled.Contains(d.Header))
            .Select(d => (d.Header, Value: args.Find(d.Key) ?? d.Default)).ToArray();
        return DelegateGatewayFilter.OnResponse(ctx =>
        {
            foreach (var (h, v) in headers)
            {
                if (!ctx.Response.Headers.ContainsKey(h)) ctx.Response.Headers[h] = v;
            }
        });
    }
}
