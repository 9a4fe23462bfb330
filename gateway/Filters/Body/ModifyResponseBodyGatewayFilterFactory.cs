using Platform.Gateway.Configuration;

namespace Platform.Gateway.Filters.Body;

/// <summary>
/// <c>ModifyResponseBody</c>, configured in YAML (<see cref="ModifyBodySpec"/>): the upstream's answer is held (at most
/// <c>maxSize</c>, else 502), converted and edited, and sent with its new length and content type. An answer that is
/// not in the <c>from</c> format (an HTML error page, say) or not an object is passed on unchanged.
/// </summary>
internal sealed class ModifyResponseBodyGatewayFilterFactory() : BuiltInFilterFactory(FilterSchemas.ModifyResponseBody)
{
    public override IGatewayFilter Create(ComponentArgs args, FilterContext context)
    {
        var spec = ModifyBodySpec.Parse(args);
        return new DelegateGatewayFilter((ctx, next) => ResponseBodyRewriter.RunAsync(ctx, next, Name, spec.MaxSize, (c, body) =>
            spec.Reads(c.Response.ContentType) && spec.Apply(body, out _) is { } changed
                ? new ResponseBodyRewriter.Rewritten(changed, spec.NewContentType)
                : null));
    }
}
