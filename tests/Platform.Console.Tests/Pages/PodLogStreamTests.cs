using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Playwright;
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
        await using var agent = await TalkingAgent.StartAsync();
        var ns = await PodOnAgentAsync(agent);

        using var browser = fx.Browser();
        (await browser.SignInAsync(fx.ApiServer.AdminToken)).Dispose();
        using var response = await browser.Http.GetAsync($"/live/logs/{ns}/talker?container=main", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(), Encoding.UTF8);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        // The first line arrives while the agent still holds the second back.
        Assert.Equal("first line", await reader.ReadLineAsync(timeout.Token));
        Assert.StartsWith($"{ns}/talker/main?", agent.Asked, StringComparison.Ordinal);
        Assert.Contains("follow=true", agent.Asked, StringComparison.Ordinal);
        agent.Second.SetResult();
        Assert.Equal("second line", await reader.ReadLineAsync(timeout.Token));
    }

    /// <summary>The browser scenario: Follow pressed on the pod's page, each line shown as the container writes it.</summary>
    [Fact]
    public async Task Logs_FollowedInChromium_ShowEachLineAsItIsWritten()
    {
        await using var agent = await TalkingAgent.StartAsync();
        var ns = await PodOnAgentAsync(agent);
        var (playwright, browser, page, problems) = await Chromium.OpenAsync(fx.ConsoleAddress);
        using var _ = playwright;
        await using var __ = browser;

        await Chromium.SignInThroughTheFormAsync(page, $"/pods/{ns}/talker", fx.ApiServer.AdminToken);
        await page.ClickAsync("#log-form button[type=submit]");
        var log = page.Locator("#log");
        await Assertions.Expect(log).ToHaveTextAsync("first line\n", new() { Timeout = 30_000 });
        agent.Second.SetResult();
        await Assertions.Expect(log).ToHaveTextAsync("first line\nsecond line\n", new() { Timeout = 30_000 });
        Assert.Empty(problems);
    }

    /// <summary>A node whose kubelet endpoint is <paramref name="agent"/>, and a pod <c>talker</c> bound to it, in a new namespace.</summary>
    private async Task<string> PodOnAgentAsync(TalkingAgent agent)
    {
        using var admin = fx.Admin();
        var ns = await admin.CreateNamespaceAsync();
        var node = "logs-" + Guid.NewGuid().ToString("N")[..8];
        await admin.PostAsync("/api/v1/nodes", Http.Json($$$"""{"metadata":{"name":"{{{node}}}"}}""")).ExpectAsync(201);
        await admin.PatchAsync($"/api/v1/nodes/{node}/status",
            """{"status":{"addresses":[{"type":"InternalIP","address":"127.0.0.1"}],"daemonEndpoints":{"kubeletEndpoint":{"Port":""" + agent.Port + "}}}}").ExpectAsync(200);
        await admin.PostAsync($"/api/v1/namespaces/{ns}/pods", Http.Yaml(Http.Pod("talker") + $"  nodeName: {node}\n")).ExpectAsync(201);
        return ns;
    }

    /// <summary>The stand-in agent: writes "first line", then "second line" once <see cref="Second"/> completes.</summary>
    private sealed class TalkingAgent : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private TalkingAgent(WebApplication app) => _app = app;

        public TaskCompletionSource Second { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public string? Asked { get; private set; }
        public int Port => new Uri(_app.Urls.First()).Port;

        public static async Task<TalkingAgent> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            var agent = new TalkingAgent(app);
            app.MapGet("/containerLogs/{ns}/{pod}/{container}", async (HttpContext ctx, string ns, string pod, string container) =>
            {
                agent.Asked = $"{ns}/{pod}/{container}?{ctx.Request.QueryString}";
                ctx.Response.ContentType = "text/plain";
                await ctx.Response.WriteAsync("first line\n");
                await ctx.Response.Body.FlushAsync();
                await agent.Second.Task.WaitAsync(ctx.RequestAborted);
                await ctx.Response.WriteAsync("second line\n");
            });
            await app.StartAsync();
            return agent;
        }

        public ValueTask DisposeAsync() => _app.DisposeAsync();
    }
}
