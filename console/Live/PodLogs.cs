using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Platform.ApiServer.Client;
using Platform.Console.Apiserver;

namespace Platform.Console.Live;

/// <summary>
/// <c>GET /live/logs/{ns}/{pod}?container=&amp;tailLines=</c>: the apiserver's <c>pods/log?follow=true</c>, read with the
/// user's token and copied to the page as it arrives (text/plain, chunk by chunk). A refusal is the apiserver's
/// status and message.
/// </summary>
internal static class PodLogs
{
    public static async Task StreamAsync(HttpContext context, UserApi api, string ns, string pod, string? container, string? tailLines, CancellationToken ct)
    {
        var problem = !Names.IsValid(ns) ? "ns" : !Names.IsValid(pod) ? "pod" : container is { Length: > 0 } && !Names.IsValid(container) ? "container"
            : tailLines is { Length: > 0 } && !(int.TryParse(tailLines, NumberStyles.None, CultureInfo.InvariantCulture, out var t) && t <= 100_000) ? "tailLines" : null;
        if (problem is not null)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync($"{problem}: {(problem == "tailLines" ? "must be a whole number up to 100000" : "must be a DNS-1123 name")}", ct);
            return;
        }
        var path = new StringBuilder($"/api/v1/namespaces/{ns}/pods/{pod}/log?follow=true");
        if (container is { Length: > 0 }) path.Append("&container=").Append(container);
        path.Append("&tailLines=").Append(tailLines is { Length: > 0 } ? tailLines : "500");
        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.Headers.CacheControl = "no-cache, no-store";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        await using var writer = new StreamWriter(context.Response.Body, new UTF8Encoding(false), 8192, leaveOpen: true);
        try
        {
            await api.Client.CopyTextAsync(path.ToString(), writer, ct);
        }
        catch (ApiException ex) when (!context.Response.HasStarted)
        {
            context.Response.StatusCode = (int?)ex.StatusCode ?? StatusCodes.Status502BadGateway;
            await context.Response.WriteAsync(ex.Detail, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The page closed the stream.
        }
    }
}
