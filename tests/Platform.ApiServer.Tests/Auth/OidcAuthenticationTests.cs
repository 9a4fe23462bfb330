using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Platform.ApiServer.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.ApiServer;
using Platform.Testing.Oidc;

namespace Platform.ApiServer.Tests.Auth;

/// <summary>
/// ID tokens of a configured OIDC issuer (<c>ApiServer:Oidc:*</c>, kube-apiserver's <c>--oidc-*</c>) as bearer tokens:
/// the user and groups they map to, RBAC on them, every way a token is refused, key rotation, and an issuer that is down.
/// The issuer is <see cref="OidcTestServer"/> on a loopback port.
/// </summary>
[Collection(ApiServerCollection.Name)]
public sealed class OidcAuthenticationTests(PostgresFixture pg, KafkaFixture kafka)
{
    private const string ClientId = "platform";
    private const string WhoAmI = "/apis/authentication.k8s.io/v1/selfsubjectreviews";
    private static readonly Dictionary<string, object> DevAndOps = new() { ["groups"] = new[] { "dev", "ops" } };

    private Task<ApiServerHost> StartAsync(OidcTestServer idp, Action<Dictionary<string, string?>>? more = null) =>
        ApiServerHost.StartAsync(pg, kafka, s =>
        {
            s["ApiServer:Oidc:IssuerUrl"] = idp.Issuer;
            s["ApiServer:Oidc:ClientId"] = ClientId;
            s["ApiServer:Oidc:GroupsClaim"] = "groups";
            s["ApiServer:Oidc:JwksMinRefreshInterval"] = "00:00:00.2";
            more?.Invoke(s);
        });

    private static async Task<JsonObject> UserInfoAsync(ApiServerHost host, string token)
    {
        using var client = host.Client(token);
        var review = await client.PostAsync(WhoAmI, Http.Json("""{"apiVersion":"authentication.k8s.io/v1","kind":"SelfSubjectReview"}""")).ExpectAsync(201);
        return (JsonObject)review["status"]!["userInfo"]!;
    }

    private static async Task<HttpStatusCode> StatusAsync(ApiServerHost host, string token, string url)
    {
        using var client = host.Client(token);
        using var response = await client.GetAsync(url);
        return response.StatusCode;
    }

    [Fact]
    public async Task IdToken_MapsToPrefixedUserAndGroups_AndRoleBindingsForUserAndGroupApply()
    {
        await using var idp = await OidcTestServer.StartAsync();
        await using var host = await StartAsync(idp, s => s["ApiServer:Oidc:GroupsPrefix"] = "oidc:");
        var token = idp.Token(audience: ClientId, subject: "alice", claims: DevAndOps);

        // kube's default rule: a username claim other than email is prefixed with "<issuer>#".
        var user = idp.Issuer + "#alice";
        var info = await UserInfoAsync(host, token);
        Assert.Equal(user, (string?)info["username"]);
        Assert.Equal(["oidc:dev", "oidc:ops", "system:authenticated"], info["groups"]!.AsArray().Select(g => (string)g!).ToArray());

        using var admin = host.AdminClient();
        var mine = await admin.CreateNamespaceAsync("oidc-a-" + Guid.NewGuid().ToString("N")[..6]);
        var theirs = await admin.CreateNamespaceAsync("oidc-b-" + Guid.NewGuid().ToString("N")[..6]);
        var ops = await admin.CreateNamespaceAsync("oidc-c-" + Guid.NewGuid().ToString("N")[..6]);
        // Before any binding the user may do nothing.
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(host, token, $"/api/v1/namespaces/{mine}/pods"));
        await admin.PostAsync($"/apis/rbac.authorization.k8s.io/v1/namespaces/{mine}/rolebindings", Http.Json(Binding("alice-view", "User", user))).ExpectAsync(201);
        await admin.PostAsync($"/apis/rbac.authorization.k8s.io/v1/namespaces/{ops}/rolebindings", Http.Json(Binding("ops-view", "Group", "oidc:ops"))).ExpectAsync(201);

        await Eventually.WaitAsync(async () => await StatusAsync(host, token, $"/api/v1/namespaces/{mine}/pods") == HttpStatusCode.OK, TimeSpan.FromSeconds(15), "the User binding in effect");
        await Eventually.WaitAsync(async () => await StatusAsync(host, token, $"/api/v1/namespaces/{ops}/pods") == HttpStatusCode.OK, TimeSpan.FromSeconds(15), "the Group binding in effect");
        using var alice = host.Client(token);
        var refused = await alice.GetAsync($"/api/v1/namespaces/{theirs}/pods").ExpectAsync(403);
        Assert.Contains(user, (string?)refused["detail"], StringComparison.Ordinal);
        // view does not write.
        await alice.PostAsync($"/api/v1/namespaces/{mine}/pods", Http.Yaml(Http.Pod("web"))).ExpectAsync(403);

        // TokenReview (what node agents and the gateway ask) sees the same user.
        var review = await admin.PostAsync("/apis/authentication.k8s.io/v1/tokenreviews", Http.Json(new JsonObject
        {
            ["apiVersion"] = "authentication.k8s.io/v1", ["kind"] = "TokenReview", ["spec"] = new JsonObject { ["token"] = token },
        })).ExpectAsync(201);
        Assert.True((bool?)review["status"]!["authenticated"]);
        Assert.Equal(user, (string?)review["status"]!["user"]!["username"]);
    }

    [Fact]
    public async Task EmailClaim_IsNotPrefixed_AndEveryBadTokenIsRefusedWith401()
    {
        await using var idp = await OidcTestServer.StartAsync();
        await using var host = await StartAsync(idp, s => s["ApiServer:Oidc:UsernameClaim"] = "email");
        var verified = new Dictionary<string, object> { ["email"] = "alice@example.com", ["email_verified"] = true };
        Assert.Equal("alice@example.com", (string?)(await UserInfoAsync(host, idp.Token(audience: ClientId, claims: verified)))["username"]);
        // email_verified absent is accepted, as in Kubernetes.
        Assert.Equal("bo@example.com", (string?)(await UserInfoAsync(host, idp.Token(audience: ClientId, claims: new Dictionary<string, object> { ["email"] = "bo@example.com" })))["username"]);

        var stranger = OidcTestServer.NewKey(9, kid: idp.CurrentKid);
        var bad = new Dictionary<string, string>
        {
            ["wrong audience"] = idp.Token(audience: "someone-else", claims: verified),
            ["expired"] = idp.Token(audience: ClientId, claims: verified, expires: DateTime.UtcNow.AddMinutes(-5)),
            ["no exp"] = idp.Token(audience: ClientId, claims: verified, expiring: false),
            ["wrong issuer"] = idp.Token(audience: ClientId, claims: verified, issuer: "https://other.example"),
            ["bad signature (same kid, other key)"] = idp.Token(audience: ClientId, claims: verified, key: stranger),
            ["unknown kid"] = idp.Token(audience: ClientId, claims: verified, key: OidcTestServer.NewKey(8, kid: "stranger")),
            ["email not verified"] = idp.Token(audience: ClientId, claims: new Dictionary<string, object> { ["email"] = "eve@example.com", ["email_verified"] = false }),
            ["no email claim"] = idp.Token(audience: ClientId),
            ["system: group"] = idp.Token(audience: ClientId, claims: new Dictionary<string, object> { ["email"] = "eve@example.com", ["groups"] = new[] { "system:masters" } }),
            ["over MaxTokenLength"] = idp.Token(audience: ClientId, claims: new Dictionary<string, object> { ["email"] = "eve@example.com", ["pad"] = new string('x', 5000) }),
        };
        foreach (var (why, token) in bad)
            Assert.True(await StatusAsync(host, token, "/api/v1/namespaces") == HttpStatusCode.Unauthorized, $"{why}: expected 401");
        // The same claims, well signed, pass: the refusals above are the flaws named, not the claims.
        Assert.Equal(HttpStatusCode.Created, (await host.Client(idp.Token(audience: ClientId, claims: verified)).PostAsync(WhoAmI, Http.Json("{}"))).StatusCode);
    }

    [Fact]
    public async Task KeyRotation_IsPickedUp_AndAnIssuerThatIsDown_FailsOnlyItsOwnTokens_Quickly()
    {
        await using var idp = await OidcTestServer.StartAsync();
        await using var host = await StartAsync(idp);
        var before = idp.Token(audience: ClientId, subject: "alice");
        Assert.Equal(idp.Issuer + "#alice", (string?)(await UserInfoAsync(host, before))["username"]);

        idp.Rotate();
        var after = idp.Token(audience: ClientId, subject: "alice");
        // The new kid is unknown: one refetch, then accepted; the retired key is no longer published, so its tokens fail.
        await Eventually.WaitAsync(async () => await StatusAsync(host, after, "/apis/authentication.k8s.io/v1") != HttpStatusCode.Unauthorized, TimeSpan.FromSeconds(10), "the rotated key is fetched");
        Assert.Equal(idp.Issuer + "#alice", (string?)(await UserInfoAsync(host, after))["username"]);
        await Eventually.WaitAsync(async () => await StatusAsync(host, before, "/apis/authentication.k8s.io/v1") == HttpStatusCode.Unauthorized, TimeSpan.FromSeconds(10), "the retired key is dropped");

        idp.Down = true;
        idp.Rotate();
        var whileDown = idp.Token(audience: ClientId, subject: "alice");
        var clock = Stopwatch.StartNew();
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(host, whileDown, "/api/v1/namespaces"));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"an OIDC token while the issuer is down took {clock.Elapsed}");
        // Tokens of other kinds never wait on the issuer.
        using var admin = host.AdminClient();
        await admin.GetAsync("/api/v1/namespaces").ExpectAsync(200);
        idp.Down = false;
        await Eventually.WaitAsync(async () => await StatusAsync(host, whileDown, "/apis/authentication.k8s.io/v1") != HttpStatusCode.Unauthorized, TimeSpan.FromSeconds(10), "the issuer is back");
    }

    [Fact]
    public async Task InvalidOidcSettings_StopTheStart_NamingEveryKey()
    {
        var missingCa = Path.Combine(Path.GetTempPath(), "no-such-ca-" + Guid.NewGuid().ToString("N") + ".pem");
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => ApiServerHost.StartAsync(pg, kafka, s =>
        {
            s["ApiServer:Oidc:IssuerUrl"] = "http://idp.example.com";
            s["ApiServer:Oidc:CaFile"] = missingCa;
            s["ApiServer:Oidc:GroupsPrefix"] = "oidc:";
        }));
        Assert.Contains("ApiServer:Oidc:IssuerUrl: 'http://idp.example.com' must be an absolute https URL (http only for a loopback issuer)", ex.Message);
        Assert.Contains("ApiServer:Oidc:ClientId: required when IssuerUrl is set", ex.Message);
        Assert.Contains("ApiServer:Oidc:GroupsPrefix: needs GroupsClaim", ex.Message);
        Assert.Contains($"ApiServer:Oidc:CaFile: '{missingCa}' cannot be read", ex.Message);
    }

    private static string Binding(string name, string kind, string subject) => $$"""
        {"metadata":{"name":"{{name}}"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"view"},
         "subjects":[{"kind":"{{kind}}","apiGroup":"rbac.authorization.k8s.io","name":"{{subject}}"}]}
        """;
}
