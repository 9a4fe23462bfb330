using System.Text;
using Microsoft.AspNetCore.Http;
using Platform.Gateway.Configuration;

namespace Platform.Gateway.Filters.Status;

/// <summary><c>RequestHeaderSize=1000B</c>: a request with a header (name plus values) larger than that gets 431.</summary>
internal sealed class RequestHeaderSizeGatewayFilterFactory() : BuiltInFilterFactory(FilterSchemas.RequestHeaderSize)
{
    public override IGatewayFilter Create(ComponentArgs args, FilterContext context)
    {
        var raw = args.Required("maxSize");
        if (!Durations.TryParseSize(raw, out var max)) throw new GatewayArgumentException("maxSize", $"'{raw}' is not a size (bytes, KB, MB)");
        var errorHeader = args.Find("errorHeaderName") ?? "errorMessage";
        return new DelegateGatewayFilter((ctx, next) =>
        {
            foreach (var (name, values) in ctx.Request.Headers)
            {
                long size = Encoding.UTF8.GetByteCount(name);
                foreach (var v in values) size += v is null ? 0 : Encoding.UTF8.GetByteCount(v);
                if (size <= max) continue;
                ctx.Response.StatusCode = StatusCodes.Status431RequestHeaderFieldsTooLarge;
                ctx.Response.Headers[errorHeader] = $"Request Header/s size is larger than permissible limit ({max}). Request Header/s size for '{name}' is {size}";
                return Task.CompletedTask;
            }
            return next(ctx);
        });
    }
}
