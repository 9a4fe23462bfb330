using System.Net;
using System.Net.Http.Headers;
using Platform.Gateway.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.Oidc;

namespace Platform.Gateway.Tests.Auth;

public sealed class JwksTests
{
    [Fact]
    public async Task Jwt_SignedWithKeyFromJwksUrl_IsAccepted_OtherKeyRejected()
    {
        await using var idp = await OidcTestServer.StartAsync();
        await using var backend = await TestBackend.StartAsync();
        await using var gw = await GatewayHost.StartAsync($$"""
            spring:
              cloud:
                gateway:
                  routes:
                    - id: secured
                      uri: {{backend.Url}}
                      predicates: [ "Path=/secured/**" ]
                      filters: [ "JwtAuthentication" ]
            """, new Dictionary<string, string?>
        {
            // A bare key set, no discovery: the issuer is not checked.
            ["Gateway:Auth:Jwt:JwksUrl"] = idp.Issuer + "/keys",
            ["Gateway:Auth:Jwt:Audience"] = "gateway",
        });

        async Task<HttpStatusCode> CallAsync(string token)
        {
            using var req = new HttpRequestMessage(HttpMethod.Get, "/secured/x");
            req.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var r = await gw.Client.SendAsync(req);
            return r.StatusCode;
        }

        Assert.Equal(HttpStatusCode.OK, await CallAsync(idp.Token(issuer: "https://any-issuer.example")));
        Assert.Equal(HttpStatusCode.Unauthorized, await CallAsync(idp.Token(key: OidcTestServer.NewKey(2))));
    }
}
