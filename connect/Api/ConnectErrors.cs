using System.Text.Json.Serialization;
using Platform.Connect.Runtime;

namespace Platform.Connect.Api;

/// <summary>Kafka Connect's error body: <c>{"error_code":404,"message":"Connector foo not found"}</c>.</summary>
internal sealed record ErrorMessage(
    [property: JsonPropertyName("error_code")] int ErrorCode,
    [property: JsonPropertyName("message")] string Message);

/// <summary>Turns <see cref="ConnectRestException"/> (and malformed requests) into Kafka Connect's error body.</summary>
internal sealed class ConnectErrorFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (ConnectRestException ex)
        {
            return Error(ex.Status, ex.Message);
        }
        catch (BadHttpRequestException ex)
        {
            return Error(ex.StatusCode, ex.Message);
        }
    }

    public static IResult Error(int status, string message) => TypedResults.Json(new ErrorMessage(status, message), statusCode: status);
}
