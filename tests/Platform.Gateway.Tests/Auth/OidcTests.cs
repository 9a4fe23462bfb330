using System.Net;
using System.Net.Http.Headers;
using Platform.Gateway.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.Oidc;

namespace Platform.Gateway.Tests.Auth;

/// <summary>JwtAuthentication against an issuer found by OIDC discovery (Gateway:Auth:Jwt:Authority), with key rotation.</summary>
public sealed class OidcTests
{
    private static Task<GatewayHost> GatewayAsync(OidcTestServer idp, TestBackend backend, string minRefresh = "00:00:01") =>
        GatewayHost.StartAsync($$"""
            spring:
              cloud:
                gateway:
                  routes:
                    - id: secured
                      uri: {{backend.Url}}
                      predicates: [ "Path=/secured/**" ]
                      filters: [ "JwtAuthentication", "TokenRelay" ]
            """, new Dictionary<string, string?>
        {
            ["Gateway:Auth:Jwt:Authority"] = idp.Issuer,
            ["Gateway:Auth:Jwt:Audience"] = "gateway",
            ["Gateway:Auth:Jwt:JwksMinRefreshInterval"] = minRefresh,
        });

    private static async Task<HttpResponseMessage> CallAsync(GatewayHost gw, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/secured/x");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await gw.Client.SendAsync(request);
    }

    private static async Task<HttpStatusCode> StatusAsync(GatewayHost gw, string token)
    {
        using var r = await CallAsync(gw, token);
        return r.StatusCode;
    }

    [Fact]
    public async Task KeyRotatedAtTheIssuer_NewTokensPass_WithoutRestart_AndTheRelayedTokenReachesTheBackend()
    {
        await using var idp = await OidcTestServer.StartAsync();
        await using var backend = await TestBackend.StartAsync();
        await using var gw = await GatewayAsync(idp, backend);

        var tokenA = idp.Token();
        using (var r = await CallAsync(gw, tokenA))
        {
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            Assert.Equal("Bearer " + tokenA, (await EchoResponse.ReadAsync(r)).Header("Authorization"));
        }

        idp.Rotate();
        var tokenB = idp.Token();
        Assert.NotEqual("key-1", idp.CurrentKid);
        // The first B token may land within JwksMinRefreshInterval of the last fetch; a later one refreshes.
        await Eventually.WaitAsync(async () => await StatusAsync(gw, tokenB) == HttpStatusCode.OK, TimeSpan.FromSeconds(10), "a token of the rotated key accepted");

        using var old = await CallAsync(gw, tokenA);
        Assert.Equal(HttpStatusCode.Unauthorized, old.StatusCode);
        Assert.Contains("no signing key of the issuer has kid 'key-1'", old.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("unknown-kid", "no signing key of the issuer has kid 'stranger'")]
    [InlineData("wrong-issuer", "issuer 'https://other.example' is not the expected")]
    [InlineData("wrong-audience", "audience 'someone-else' is not the expected 'gateway'")]
    [InlineData("expired", "the token expired at")]
    public async Task BadToken_Is401_WithTheReasonInWwwAuthenticate(string kind, string reason)
    {
        await using var idp = await OidcTestServer.StartAsync();
        await using var backend = await TestBackend.StartAsync();
        await using var gw = await GatewayAsync(idp, backend, minRefresh: "00:01:00");
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(gw, idp.Token()));

        var token = kind switch
        {
            "unknown-kid" => idp.Token(key: OidcTestServer.NewKey(0, "stranger")),
            "wrong-issuer" => idp.Token(issuer: "https://other.example"),
            "wrong-audience" => idp.Token(audience: "someone-else"),
            _ => idp.Token(expires: DateTime.UtcNow.AddMinutes(-5)),
        };
        var fetches = idp.JwksFetches;
        for (var i = 0; i < 5; i++)
        {
            using var r = await CallAsync(gw, token);
            Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
            var challenge = r.Headers.WwwAuthenticate.ToString();
            Assert.Contains("invalid_token", challenge, StringComparison.Ordinal);
            Assert.Contains(reason, challenge, StringComparison.Ordinal);
        }
        // Unknown kids refresh at most once per JwksMinRefreshInterval (here a minute, and the start-up fetch was just now).
        Assert.Equal(fetches, idp.JwksFetches);
        Assert.Equal(1, backend.Hits);
    }

    [Fact]
    public async Task IssuerDownAtStart_GatewayStarts_503NamingTheIssuer_ThenAcceptsOnceItIsBack()
    {
        await using var idp = await OidcTestServer.StartAsync();
        idp.Down = true;
        await using var backend = await TestBackend.StartAsync();
        await using var gw = await GatewayAsync(idp, backend);
        var token = idp.Token();

        using (var r = await CallAsync(gw, token))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, r.StatusCode);
            Assert.NotNull(r.Headers.RetryAfter);
            var body = await r.Content.ReadAsStringAsync();
            Assert.Contains("could not be loaded from " + idp.Issuer, body, StringComparison.Ordinal);
            Assert.Contains("503", body, StringComparison.Ordinal);
        }
        Assert.Equal(0, backend.Hits);

        idp.Down = false;
        await Eventually.WaitAsync(async () => await StatusAsync(gw, token) == HttpStatusCode.OK, TimeSpan.FromSeconds(10), "tokens accepted once the issuer is back");
    }
}
