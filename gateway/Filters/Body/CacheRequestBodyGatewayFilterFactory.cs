using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Platform.Gateway.Configuration;
using Platform.Gateway.Routing;

namespace Platform.Gateway.Filters.Body;

/// <summary>
/// <c>CacheRequestBody</c> (<c>bodyClass</c>, <c>maxSize</c>): reads the request body once, keeps it on the request
/// (<see cref="GatewayRequestState.CachedRequestBody"/>, Spring's <c>cachedRequestBody</c> attribute) for later filters,
/// and still sends it upstream. <c>bodyClass</c> says what the body must decode to, as Spring's decoders do:
/// <c>java.lang.String</c> (UTF-8 text, the default), <c>byte[]</c> (anything), or a JSON type
/// (<c>java.util.Map</c>, <c>com.fasterxml.jackson.databind.JsonNode</c>, <c>java.lang.Object</c>); a body that does not
/// is answered 400, one over <c>maxSize</c> (256 KB) 413. Requests without a body pass untouched.
/// </summary>
internal sealed class CacheRequestBodyGatewayFilterFactory() : BuiltInFilterFactory(FilterSchemas.CacheRequestBody)
{
    private enum Decoding { Text, Bytes, Json }


    public override IGatewayFilter Create(ComponentArgs args, FilterContext context)
    {
        var decoding = DecodingOf(args.Find("bodyClass"));
        var max = BodyLimit.From(args);
        return new DelegateGatewayFilter(async (ctx, next) =>
        {
            if (!RequestBodyBuffer.HasBody(ctx))
            {
                await next(ctx);
                return;
            }
            if (await RequestBodyBuffer.ReadAsync(ctx, max) is not { } body)
            {
                await RequestBodyBuffer.TooLargeAsync(ctx, Name, max);
                return;
            }
            if (Undecodable(body, decoding) is { } reason)
            {
                await TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad Request", instance: ctx.Request.Path,
                    detail: $"body: {reason}").ExecuteAsync(ctx);
                return;
            }
            GatewayRequestState.Of(ctx).CachedRequestBody = body;
            RequestBodyBuffer.Replace(ctx, body);
            await next(ctx);
        });
    }

    private static string? Undecodable(byte[] body, Decoding decoding)
    {
        switch (decoding)
        {
            case Decoding.Text:
                try { _ = new UTF8Encoding(false, throwOnInvalidBytes: true).GetCharCount(body); return null; }
                catch (DecoderFallbackException) { return "not UTF-8 text (bodyClass java.lang.String)"; }
            case Decoding.Json:
                try { using var _ = JsonDocument.Parse(body); return null; }
                catch (JsonException ex) { return $"not JSON: {ex.Message}"; }
            default:
                return null;
        }
    }

    private static Decoding DecodingOf(string? bodyClass) => bodyClass?.Trim() switch
    {
        null or "" or "java.lang.String" or "String" or "string" => Decoding.Text,
        "byte[]" or "[B" or "java.nio.ByteBuffer" or "org.springframework.core.io.buffer.DataBuffer" => Decoding.Bytes,
        "java.util.Map" or "java.util.HashMap" or "java.util.LinkedHashMap" or "java.lang.Object" or "java.util.List"
            or "com.fasterxml.jackson.databind.JsonNode" or "tools.jackson.databind.JsonNode" or "json" => Decoding.Json,
        var other => throw new GatewayArgumentException("bodyClass",
            $"'{other}' is not one of java.lang.String, byte[], java.util.Map, java.lang.Object, com.fasterxml.jackson.databind.JsonNode"),
    };
}
