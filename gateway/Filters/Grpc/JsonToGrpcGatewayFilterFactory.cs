using System.Text.Json;
using Google.Protobuf.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Platform.Gateway.Filters.Body;
using Platform.Gateway.Routing;

namespace Platform.Gateway.Filters.Grpc;

/// <summary>
/// Spring's <c>JsonToGrpc</c> (<c>protoDescriptor</c>, <c>protoFile</c>, <c>service</c>, <c>method</c>): the JSON
/// request body becomes the method's protobuf request, sent as a unary gRPC call to the route's destination (HTTP/2:
/// h2c for <c>http://</c>, TLS for <c>https://</c>; only scheme, host and port of the route's <c>uri</c> count, as
/// in Spring; for <c>lb://</c> one of the route's instances, picked at random); the reply becomes a JSON body. A
/// gRPC error is the HTTP status gRPC's code maps to, with the <c>grpc-message</c>. The call ends the chain: filters after it on the route do not run (response header
/// filters before it still apply); the route's response timeout bounds the call and goes to the server as
/// <c>grpc-timeout</c>. Bodies are held in memory up to <c>maxSize</c> (256 KB): 413 past it.
/// </summary>
internal sealed class JsonToGrpcGatewayFilterFactory(IServiceProvider services) : BuiltInFilterFactory(FilterSchemas.JsonToGrpc)
{
    private static readonly JsonDocumentOptions JsonOptions = new() { MaxDepth = ProtoJsonReader.MaxDepth * 2 };

    public override IGatewayFilter Create(ComponentArgs args, FilterContext context)
    {
        // The routes file is the operator's; a Route resource is a team's, confined to the descriptor directory.
        var confinedTo = context.Route.Namespace is null ? null
            : services.GetService<Microsoft.Extensions.Options.IOptions<Configuration.GatewayOptions>>()?.Value.JsonToGrpc.DescriptorDirectory ?? JsonToGrpcOptions.DefaultDirectory;
        var method = ProtoDescriptorSet.FindMethod(args.Required("protoDescriptor"), args.Find("protoFile"), args.Required("service"), args.Required("method"), confinedTo);
        var destination = Destination(context.Route.Uri);
        var maxSize = BodyLimit.From(args);
        var fullMethod = $"{method.Service.FullName}/{method.Name}";
        return new DelegateGatewayFilter((ctx, _) => CallAsync(ctx, method, fullMethod, destination, maxSize));
    }

    /// <summary>The route's scheme, host and port; null for <c>lb://</c>, whose instance is picked per request.</summary>
    private static Uri? Destination(string uri)
    {
        if (Uri.TryCreate(uri.Trim().Trim('<', '>'), UriKind.Absolute, out var u) && u.Scheme is "http" or "https" or "lb")
            return u.Scheme == "lb" ? null : new Uri(u.GetLeftPart(UriPartial.Authority));
        throw new GatewayArgumentException("uri", $"JsonToGrpc calls the route's uri itself: it must be http:// (h2c), https:// or lb://, not '{uri}'");
    }

    /// <summary>
    /// SetRequestUri's URL when one ran before; else the route's address; else one of the <c>lb://</c> route's
    /// instances now (the Service's ready endpoints or the registry's UP instances the route may reach).
    /// </summary>
    private Uri? Target(HttpContext ctx, Uri? destination)
    {
        var state = GatewayRequestState.Find(ctx);
        if (state?.RequestUri is { } overridden) return new Uri(overridden.GetLeftPart(UriPartial.Authority));
        if (destination is not null) return destination;
        if (state?.Route?.Upstream is not { } upstream) return null;
        var instances = services.GetRequiredService<GatewayRuntime>().InstancesOf(upstream);
        return instances.Count == 0 ? null : new Uri(instances[Random.Shared.Next(instances.Count)]);
    }

    private async Task CallAsync(HttpContext ctx, MethodDescriptor method, string fullMethod, Uri? destination, long maxSize)
    {
        var body = await RequestBodyBuffer.ReadAsync(ctx, maxSize);
        if (body is null)
        {
            await RequestBodyBuffer.TooLargeAsync(ctx, "JsonToGrpc", maxSize);
            return;
        }
        byte[] request;
        try
        {
            using var json = JsonDocument.Parse(body.Length == 0 ? "{}"u8.ToArray() : body, JsonOptions);
            request = ProtoJsonReader.Encode(json.RootElement, method.InputType);
        }
        catch (JsonException ex)
        {
            await ProblemAsync(ctx, StatusCodes.Status400BadRequest, $"body: not JSON ({ex.Message})", ("field", "$"));
            return;
        }
        catch (ProtoJsonException ex)
        {
            await ProblemAsync(ctx, StatusCodes.Status400BadRequest, $"body: {ex.Message} ({method.InputType.FullName})", ("field", ex.Field));
            return;
        }
        if (Target(ctx, destination) is not { } target)
        {
            await ProblemAsync(ctx, StatusCodes.Status503ServiceUnavailable, $"{fullMethod}: the route's service has no instance to call");
            return;
        }
        // The route's response timeout (metadata response-timeout, Gateway:HttpClient) bounds the call, as it bounds a forward.
        var timeout = GatewayRequestState.Find(ctx)?.Route?.ResponseTimeout;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted);
        if (timeout is { } t) deadline.CancelAfter(t);
        GrpcUnaryCall.Reply reply;
        byte[] answer;
        try
        {
            reply = await GrpcUnaryCall.SendAsync(target, fullMethod, request, maxSize, timeout, deadline.Token);
            if (reply.Status != 0)
            {
                await ProblemAsync(ctx, GrpcStatusCodes.ToHttp(reply.Status), reply.Detail ?? GrpcStatusCodes.Name(reply.Status),
                    ("grpcStatus", GrpcStatusCodes.Name(reply.Status)), ("grpcMessage", reply.Detail));
                return;
            }
            answer = ProtoJsonWriter.Decode(reply.Message, method.OutputType);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !ctx.RequestAborted.IsCancellationRequested)
        {
            await ProblemAsync(ctx, StatusCodes.Status504GatewayTimeout, $"{fullMethod} at {target}: no reply within the route's response timeout {timeout}");
            return;
        }
        catch (HttpRequestException ex)
        {
            await ProblemAsync(ctx, StatusCodes.Status502BadGateway, $"{fullMethod} at {target}: {ex.Message}");
            return;
        }
        catch (Exception ex) when (ex is GrpcProtocolException or ProtoJsonException or Google.Protobuf.InvalidProtocolBufferException)
        {
            await ProblemAsync(ctx, StatusCodes.Status502BadGateway, $"{fullMethod} at {target}: {ex.Message}");
            return;
        }
        ctx.Response.StatusCode = StatusCodes.Status200OK;
        ctx.Response.ContentType = "application/json";
        ctx.Response.ContentLength = answer.Length;
        await ctx.Response.Body.WriteAsync(answer, ctx.RequestAborted);
    }

    private static Task ProblemAsync(HttpContext ctx, int status, string detail, params (string Key, object? Value)[] extensions) =>
        TypedResults.Problem(statusCode: status, detail: detail, instance: ctx.Request.Path,
            extensions: extensions.ToDictionary(e => e.Key, e => e.Value)).ExecuteAsync(ctx);
}
