using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Platform.Gateway.Configuration;

namespace Platform.Gateway.Filters.Status;

/// <summary><c>RequestSize=5000000</c> (or <c>5MB</c>): a larger body is refused with 413 and an <c>errorMessage</c> header.</summary>
internal sealed class RequestSizeGatewayFilterFactory() : BuiltInFilterFactory(FilterSchemas.RequestSize)
{
    public override IGatewayFilter Create(ComponentArgs args, FilterContext context)
    {
        var raw = args.Find("maxSize") ?? "5000000";
        if (!Durations.TryParseSize(raw, out var max)) throw new GatewayArgumentException("maxSize", $"'{raw}' is not a size (bytes, KB, MB)");
        return new DelegateGatewayFilter((ctx, next) =>
        {
            if (ctx.Request.ContentLength > max)
            {
                ctx.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                ctx.Response.Headers["errorMessage"] = $"Request size is larger than permissible limit. Request size is {ctx.Request.ContentLength} where permissible limit is {max}";
                return Task.CompletedTask;
            }
            // A chunked body has no Content-Length: let Kestrel stop it at the limit instead.
            if (ctx.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } f) f.MaxRequestBodySize = max;
            return next(ctx);
        });
    }
}
