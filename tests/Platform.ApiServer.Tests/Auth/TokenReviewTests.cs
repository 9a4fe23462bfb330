using System.Net.Http.Json;
using Platform.ApiServer.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.ApiServer;

namespace Platform.ApiServer.Tests.Auth;

/// <summary>
/// <c>tokenreviews</c>, which node agents use to authenticate callers of their log endpoint, and the <c>apiserver</c>
/// role that identity carries: accepted by agents, refused by the API itself.
/// </summary>
[Collection(ApiServerCollection.Name)]
public sealed class TokenReviewTests(PostgresFixture pg, KafkaFixture kafka)
{
    private const string Reviews = "/apis/auth.platform.io/v1/tokenreviews";

    private static async Task<string> TokenAsync(HttpClient admin, string name, string role, string? ns = null, string? node = null)
    {
        var created = await admin.PostAsJsonAsync("/apis/auth.platform.io/v1/tokens", new { name, role, @namespace = ns, nodeName = node }).ExpectAsync(201);
        return (string)created["token"]!;
    }

    private static Task<HttpResponseMessage> ReviewAsync(HttpClient client, string? token) =>
        client.PostAsync(Reviews, Http.Json(token is null ? """{"spec":{}}""" : $$$"""{"apiVersion":"auth.platform.io/v1","kind":"TokenReview","spec":{"token":"{{{token}}}"}}"""));

    [Fact]
    public async Task NodeTokens_LearnWhoATokenBelongsTo_OthersMayNotAsk_AndTheApiServerRoleMayDoNothingAtTheApi()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var admin = host.AdminClient();
        var viewer = await TokenAsync(admin, "team-viewer", "viewer", ns: "default");
        using var node = host.Client(await TokenAsync(admin, "node-a", "node", node: "a"));

        var known = await ReviewAsync(node, viewer).ExpectAsync(201);
        Assert.Equal("TokenReview", (string?)known["kind"]);
        Assert.True((bool)known["status"]!["authenticated"]!);
        Assert.Equal(("team-viewer", "viewer", "default"),
            ((string?)known["status"]!["user"]!["username"], (string?)known["status"]!["user"]!["role"], (string?)known["status"]!["user"]!["namespace"]));
        var unknown = await ReviewAsync(node, "plt_nobody").ExpectAsync(201);
        Assert.False((bool)unknown["status"]!["authenticated"]!);
        Assert.Null(unknown["status"]!["user"]);
        var missing = await ReviewAsync(admin, null).ExpectAsync(400);
        Assert.Equal("spec.token", (string?)missing["errors"]![0]!["field"]);

        using var asViewer = host.Client(viewer);
        var refused = await ReviewAsync(asViewer, viewer).ExpectAsync(403);
        Assert.Contains("may not create tokenreviews", (string?)refused["detail"]);
        using var anonymous = host.Client();
        await ReviewAsync(anonymous, viewer).ExpectAsync(401);

        var apiserverToken = await TokenAsync(admin, "apiserver-b", "apiserver");
        var reviewed = await ReviewAsync(node, apiserverToken).ExpectAsync(201);
        Assert.Equal("apiserver", (string?)reviewed["status"]!["user"]!["role"]);
        using var asApiServer = host.Client(apiserverToken);
        var denied = await asApiServer.GetAsync("/api/v1/namespaces/default/pods").ExpectAsync(403);
        Assert.Contains("only used toward node agents", (string?)denied["detail"]);
        await asApiServer.GetAsync("/api/v1/namespaces/default/pods/x/log").ExpectAsync(403);
    }
}
