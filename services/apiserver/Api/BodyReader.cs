using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Platform.Manifests.Parsing;
using Platform.ApiServer.Problems;
using Platform.ApiServer.Protobuf;
using Platform.ApiServer.Resources.Patching;

namespace Platform.ApiServer.Api;

/// <summary>
/// Reads a request body up to <c>ApiServer:MaxBodyBytes</c> and parses it by its content type: YAML, JSON, or
/// Kubernetes protobuf (what client-go's typed clients send for built-in kinds), decoded to the same JSON object.
/// </summary>
internal sealed class BodyReader(IOptions<ApiServerOptions> options, ProtobufDecoder protobuf)
{
    private const string PatchTypes = "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json";

    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);

    /// <summary>A PATCH body as the patch its Content-Type names.</summary>
    public async Task<PatchDocument> ReadPatchAsync(HttpRequest request, CancellationToken ct)
    {
        var type = request.ContentType ?? "";
        // As in Kubernetes, a patch is one of the patch types; protobuf is for whole objects (POST, PUT).
        if (ProtobufDecoder.IsProtobuf(type))
            throw new ApiProblem(415, "UnsupportedMediaType",
                $"the body of the request was in an unknown format - accepted media types include: {PatchTypes}");
        if (type.Contains("apply-patch", StringComparison.OrdinalIgnoreCase))
            return new PatchDocument.Apply(await ReadObjectAsync(request, ct));
        if (type.Contains("json-patch", StringComparison.OrdinalIgnoreCase))
            return new PatchDocument.Json(await ReadJsonPatchAsync(request, ct));
        var body = await ReadObjectAsync(request, ct);
        return type.Contains("strategic-merge-patch", StringComparison.OrdinalIgnoreCase) ? new PatchDocument.Strategic(body) : new PatchDocument.Merge(body);
    }

    public async Task<JsonObject> ReadObjectAsync(HttpRequest request, CancellationToken ct)
    {
        if (ProtobufDecoder.IsProtobuf(request.ContentType)) return DecodeProtobuf(await ReadBytesAsync(request, ct));
        var text = await ReadTextAsync(request, ct);
        try
        {
            return ManifestParser.ParseObject(text, request.ContentType);
        }
        catch (ManifestException ex)
        {
            throw ApiProblem.BadRequest("body", $"does not parse at {ex.Message}");
        }
    }

    /// <summary>A JSON Patch document: an array of operations, bounded in depth like any body.</summary>
    public async Task<JsonArray> ReadJsonPatchAsync(HttpRequest request, CancellationToken ct)
    {
        var text = await ReadTextAsync(request, ct);
        try
        {
            return JsonNode.Parse(text, documentOptions: ManifestParser.JsonOptions) as JsonArray
                ?? throw ApiProblem.BadRequest("body", "a JSON patch is an array of operations");
        }
        catch (JsonException ex)
        {
            throw ApiProblem.BadRequest("body", $"does not parse: {ex.Message.Split(" Path:")[0]}");
        }
    }

    private JsonObject DecodeProtobuf(ArraySegment<byte> body)
    {
        try
        {
            var envelope = ProtobufEnvelope.Read(body);
            if (!ProtoSchema.Serves(envelope.ApiVersion))
                throw new ApiProblem(415, "UnsupportedMediaType",
                    $"Content-Type: '{ProtobufDecoder.MediaType}' is not supported for {ProtobufEnvelope.Shorten(envelope.ApiVersion)} objects; send application/json or application/yaml");
            return protobuf.Decode(envelope);
        }
        catch (ProtobufException ex)
        {
            throw ApiProblem.BadRequest("body", $"is not a Kubernetes protobuf object: {ex.Message}");
        }
    }

    private async Task<string> ReadTextAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentType is { } type && !IsTextMediaType(type))
            throw new ApiProblem(415, "UnsupportedMediaType",
                $"Content-Type: '{type}' is not supported; send application/json, application/yaml, {ProtobufDecoder.MediaType} or a patch type ({PatchTypes})");
        var body = await ReadBytesAsync(request, ct);
        try
        {
            return StrictUtf8.GetString(body);
        }
        catch (DecoderFallbackException)
        {
            throw ApiProblem.BadRequest("body", "is not valid UTF-8");
        }
    }

    private async Task<ArraySegment<byte>> ReadBytesAsync(HttpRequest request, CancellationToken ct)
    {
        var max = options.Value.MaxBodyBytes;
        if (request.ContentLength > max) throw TooLarge(max);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > max) throw TooLarge(max);
        }
        if (buffer.Length == 0) throw ApiProblem.BadRequest("body", "required: send the object as JSON or YAML");
        return new ArraySegment<byte>(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static bool IsTextMediaType(string type) =>
        type.Contains("json", StringComparison.OrdinalIgnoreCase) || type.Contains("yaml", StringComparison.OrdinalIgnoreCase) ||
        type.StartsWith("text/", StringComparison.OrdinalIgnoreCase);

    private static ApiProblem TooLarge(int max) => new(413, "RequestEntityTooLarge", $"body: larger than the limit of {max} bytes (ApiServer:MaxBodyBytes)");
}
