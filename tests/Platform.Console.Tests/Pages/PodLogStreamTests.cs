using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Platform.Console.Tests.Support;
using Platform.Testing.ApiServer;

namespace Platform.Console.Tests.Pages;

/// <summary>
/// A container's log reaches the page while it is being written: the console follows the apiserver's
/// <c>pods/log?follow=true</c>, which streams the node's agent. The agent here is a stand-in on loopback that answers
/// <c>/containerLogs</c> with one line, then another when the test says so.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class PodLogStreamTests(ConsoleFixture fx)
{
    [Fact]
    public async Task Logs_AreStreamedLineByLine_WhileTheContainerWrites()
    {
        var second = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var agent = builder.Build();
        string? asked = null;
        agent.MapGet("/containerLogs/{ns}/{pod}/{container}", async (HttpContext ctx, string ns, string pod, string container) =>
        {
            asked = $"{ns}/{pod}/{container}?{ctx.Request.QueryString}";
            ctx.Response.ContentType = "text/plain";
            await ctx.Response.WriteAsync("first line\n");
            await ctx.Response.Body.FlushAsync();
            await second.Task.WaitAsync(ctx.RequestAborted);
            await ctx.Response.WriteAsync("second line\n");
        });
        await agent.StartAsync();
        var port = new Uri(agent.Urls.First()).Port;

        using var admin = fx.Admin();
        var ns = await admin.CreateNamespaceAsync();
        var node = "logs-" + Guid.NewGuid().ToString("N")[..8];
        await admin.PostAsync("/api/v1/nodes", Http.Json($$$"""{"metadata":{"name":"{{{node}}}"}}""")).ExpectAsync(201);
        await admin.PatchAsync($"/api/v1/nodes/{node}/status",
            """{"status":{"addresses":[{"type":"InternalIP","address":"127.0.0.1"}],"daemonEndpoints":{"kubeletEndpoint":{"Port":""" + port + "}}}}").ExpectAsync(200);
        await admin.PostAsync($"/api/v1/namespaces/{ns}/pods", Http.Yaml(Http.Pod("talker") + $"  nodeName: {node}\n")).ExpectAsync(201);

        using var browser = fx.Browser();
        (await browser.SignInAsync(fx.ApiServer.AdminToken)).Dispose();
        using var response = await browser.Http.GetAsync($"/live/logs/{ns}/talker?container=main", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(), Encoding.UTF8);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        // The first line arrives while the agent still holds the second back.
        Assert.Equal("first line", await reader.ReadLineAsync(timeout.Token));
        Assert.StartsWith($"{ns}/talker/main?", asked, StringComparison.Ordinal);
        Assert.Contains("follow=true", asked, StringComparison.Ordinal);
        second.SetResult();
        Assert.Equal("second line", await reader.ReadLineAsync(timeout.Token));
    }
}
