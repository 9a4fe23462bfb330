using System.Text.Json.Nodes;
using Platform.ApiServer.Problems;

namespace Platform.ApiServer.Api;

/// <summary>
/// Turns <see cref="ApiProblem"/> into <c>application/problem+json</c> naming each invalid field, or, for Kubernetes
/// clients (an Accept header that names <c>application/json</c> or protobuf and not problem+json, as client-go and
/// kubectl send, and every upgrade request, as kubectl's exec dials), into the <c>v1 Status</c> they decode, with the same
/// reason, message and causes.
/// </summary>
internal sealed class ApiProblemFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (ApiProblem p)
        {
            return WantsStatus(context.HttpContext.Request) ? ToStatus(p) : ToResult(p);
        }
    }

    public static IResult ToResult(ApiProblem p)
    {
        var extensions = new Dictionary<string, object?> { ["reason"] = p.Reason };
        if (p.Errors.Count > 0) extensions["errors"] = p.Errors;
        return TypedResults.Problem(detail: p.Message, statusCode: p.Status, title: p.Reason, extensions: extensions);
    }

    public static bool WantsStatus(HttpRequest request)
    {
        // kubectl's WebSocket and SPDY dialers send no Accept and decode only a Status from a refused upgrade.
        if (request.Headers.Upgrade.Count > 0) return true;
        var accept = string.Join(',', request.Headers.Accept.ToArray());
        return !accept.Contains("application/problem+json", StringComparison.OrdinalIgnoreCase) &&
               (accept.Contains("application/json", StringComparison.OrdinalIgnoreCase) ||
                accept.Contains("application/vnd.kubernetes.protobuf", StringComparison.OrdinalIgnoreCase));
    }

    public static IResult ToStatus(ApiProblem p)
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = p.Message,
            ["reason"] = p.Reason,
            ["code"] = p.Status,
        };
        if (p.Errors.Count > 0)
        {
            status["details"] = new JsonObject
            {
                ["causes"] = new JsonArray(p.Errors.Select(e => (JsonNode)new JsonObject
                {
                    ["reason"] = e.Cause ?? (p.Status == 422 ? "FieldValueInvalid" : p.Reason),
                    ["message"] = e.Reason,
                    ["field"] = e.Field,
                }).ToArray()),
            };
            if (p.Subject is { } subject)
            {
                status["details"]!["kind"] = subject.Kind;
                status["details"]!["name"] = subject.Name;
            }
        }
        return TypedResults.Content(status.ToJsonString(), "application/json", statusCode: p.Status);
    }
}
