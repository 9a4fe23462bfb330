using Microsoft.AspNetCore.Http;
using Platform.Gateway.Configuration;

namespace Platform.Gateway.Filters.Body;

/// <summary>
/// <c>ModifyRequestBody</c>, configured in YAML (Spring's takes a Java function, see <see cref="ModifyBodySpec"/>):
/// the request body is read (at most <c>maxSize</c>, else 413), converted and edited, and sent upstream with its new
/// length and content type. A body that is not in the <c>from</c> format, or not an object to edit, is a 400;
/// requests without a body pass untouched.
/// </summary>
internal sealed class ModifyRequestBodyGatewayFilterFactory() : BuiltInFilterFactory(FilterSchemas.ModifyRequestBody)
{
    public override IGatewayFilter Create(ComponentArgs args, FilterContext context)
    {
        var spec = ModifyBodySpec.Parse(args);
        return new DelegateGatewayFilter(async (ctx, next) =>
        {
            if (!RequestBodyBuffer.HasBody(ctx))
            {
                await next(ctx);
                return;
            }
            if (await RequestBodyBuffer.ReadAsync(ctx, spec.MaxSize) is not { } body)
            {
                await RequestBodyBuffer.TooLargeAsync(ctx, Name, spec.MaxSize);
                return;
            }
            string? error = null;
            var changed = spec.Reads(ctx.Request.ContentType)
                ? spec.Apply(body, out error)
                : null;
            if (changed is null)
            {
                await TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad Request", instance: ctx.Request.Path,
                    detail: $"body: {error ?? $"Content-Type {ctx.Request.ContentType} is not {BodyFormats.ContentType(spec.From)}"}").ExecuteAsync(ctx);
                return;
            }
            RequestBodyBuffer.Replace(ctx, changed);
            if (spec.NewContentType is { } type) ctx.Request.ContentType = type;
            await next(ctx);
        });
    }
}
