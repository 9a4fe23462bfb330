using System.Net;
using Platform.Contracts.Resources;

namespace Platform.ApiServer.Client.Tests;

public sealed class ApiClientTests : IDisposable
{
    private readonly FakeApiServer _server = new();
    private readonly HttpClient _http;
    private readonly ApiClient _api;

    public ApiClientTests()
    {
        _http = new HttpClient(_server) { BaseAddress = new Uri("http://apiserver.test") };
        _api = new ApiClient(_http, new ApiClientOptions { RetryDelay = TimeSpan.FromMilliseconds(1) }, TimeProvider.System);
    }

    private static HttpResponseMessage Status(HttpStatusCode code, string reason) =>
        FakeApiServer.Json(code, $$"""{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"{{reason}}","message":"pods \"web\" is {{reason}}","code":{{(int)code}}}""");

    [Fact]
    public async Task A_refusal_carries_the_status_reason_and_message()
    {
        _server.Scripted.Enqueue(() => Status(HttpStatusCode.UnprocessableEntity, "Invalid"));
        var ex = await Assert.ThrowsAsync<ApiException>(() => _api.ReplaceAsync("/api/v1/namespaces/default/pods/web", new Pod(), default));
        Assert.Equal((HttpStatusCode.UnprocessableEntity, "Invalid", "pods \"web\" is Invalid"), (ex.StatusCode!.Value, ex.Reason, ex.Detail));
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task Problem_details_are_read_too()
    {
        _server.Scripted.Enqueue(() => FakeApiServer.Json(HttpStatusCode.Forbidden, """{"title":"Forbidden","detail":"role viewer cannot create pods"}"""));
        var ex = await Assert.ThrowsAsync<ApiException>(() => _api.CreateAsync("/api/v1/namespaces/default/pods", new Pod(), default));
        Assert.Equal(("Forbidden", "role viewer cannot create pods"), (ex.Reason, ex.Detail));
    }

    [Fact]
    public async Task Reads_are_retried_on_unavailable_and_network_errors()
    {
        _server.Put("web");
        _server.Scripted.Enqueue(() => Status(HttpStatusCode.ServiceUnavailable, "ServiceUnavailable"));
        _server.Scripted.Enqueue(() => throw new HttpRequestException("connection reset"));
        var (items, rv) = await _api.ListAsync<Pod>("/api/v1/pods", default);
        Assert.Equal((1, 1L), (items.Count, rv));
        Assert.Equal(3, _server.Requests.Count);
    }

    [Fact]
    public async Task A_create_is_not_sent_again_after_it_may_have_landed()
    {
        _server.Scripted.Enqueue(() => Status(HttpStatusCode.InternalServerError, "InternalError"));
        await Assert.ThrowsAsync<ApiException>(() => _api.CreateAsync("/api/v1/namespaces/default/pods", new Pod(), default));
        _server.Scripted.Enqueue(() => throw new HttpRequestException("response ended prematurely"));
        await Assert.ThrowsAsync<HttpRequestException>(() => _api.CreateAsync("/api/v1/namespaces/default/pods", new Pod(), default));
        Assert.Equal(2, _server.Requests.Count);
    }

    [Fact]
    public async Task A_write_the_server_asked_to_repeat_is_repeated()
    {
        _server.Scripted.Enqueue(() => Status(HttpStatusCode.TooManyRequests, "TooManyRequests"));
        Assert.True(await _api.CreateAsync("/api/v1/namespaces/default/pods", new Pod(), default));
        Assert.Equal(2, _server.Requests.Count);
    }

    [Fact]
    public async Task Not_found_and_conflict_are_answers_not_errors_where_callers_expect_them()
    {
        _server.Scripted.Enqueue(() => Status(HttpStatusCode.NotFound, "NotFound"));
        Assert.Null(await _api.GetAsync<Pod>("/api/v1/namespaces/default/pods/web", default));
        _server.Scripted.Enqueue(() => Status(HttpStatusCode.Conflict, "AlreadyExists"));
        Assert.False(await _api.CreateAsync("/api/v1/namespaces/default/pods", new Pod(), default));
        _server.Scripted.Enqueue(() => Status(HttpStatusCode.Conflict, "Conflict"));
        Assert.Equal(BindOutcome.AlreadyBound, await _api.BindAsync("default", "web", "node-1", default));
    }

    [Fact]
    public async Task A_status_write_is_conditional_on_the_version_it_was_computed_from()
    {
        var pod = _server.Put("web");
        _server.Scripted.Enqueue(() => Status(HttpStatusCode.Conflict, "Conflict"));
        var ex = await Assert.ThrowsAsync<ApiException>(() =>
            _api.PatchStatusAsync(ResourceKinds.Pod, pod, new System.Text.Json.Nodes.JsonObject { ["phase"] = "Running" }, default));
        Assert.True(ex.IsConflict);
        var (method, path, body) = Assert.Single(_server.Requests);
        Assert.Equal(("PATCH", "/api/v1/namespaces/default/pods/web/status"), (method, path));
        var sent = System.Text.Json.Nodes.JsonNode.Parse(body)!;
        Assert.Equal((pod.Metadata.ResourceVersion, "Running"), ((string?)sent["metadata"]!["resourceVersion"], (string?)sent["status"]!["phase"]));
    }

    public void Dispose()
    {
        _http.Dispose();
        _server.Dispose();
    }
}
