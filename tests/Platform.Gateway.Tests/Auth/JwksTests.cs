using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Platform.Gateway.Tests.Infrastructure;

namespace Platform.Gateway.Tests.Auth;

public sealed class JwksTests
{
    [Fact]
    public async Task Jwt_SignedWithKeyFromJwksUrl_IsAccepted_OtherKeyRejected()
    {
        using var rsa = RSA.Create(2048);
        var key = new RsaSecurityKey(rsa) { KeyId = "key-1" };
        var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(rsa.ExportParameters(false)) { KeyId = "key-1" });
        var jwks = System.Text.Json.JsonSerializer.Serialize(new { keys = new[] { new { kty = jwk.Kty, kid = jwk.Kid, use = "sig", alg = "RS256", n = jwk.N, e = jwk.E } } });

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var idp = builder.Build();
        idp.MapGet("/.well-known/jwks.json", () => Results.Text(jwks, "application/json"));
        await idp.StartAsync();
        var idpUrl = idp.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

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
            ["Gateway:Auth:Jwt:JwksUrl"] = idpUrl + "/.well-known/jwks.json",
            ["Gateway:Auth:Jwt:Audience"] = "gateway",
        });

        string Token(SecurityKey signingKey) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Audience = "gateway",
            Claims = new Dictionary<string, object> { ["sub"] = "bob" },
            Expires = DateTime.UtcNow.AddMinutes(5),
            SigningCredentials = new SigningCredentials(signingKey, SecurityAlgorithms.RsaSha256),
        });
        async Task<HttpStatusCode> CallAsync(string token)
        {
            var req = new HttpRequestMessage(HttpMethod.Get, "/secured/x");
            req.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var r = await gw.Client.SendAsync(req);
            return r.StatusCode;
        }

        Assert.Equal(HttpStatusCode.OK, await CallAsync(Token(key)));
        using var other = RSA.Create(2048);
        Assert.Equal(HttpStatusCode.Unauthorized, await CallAsync(Token(new RsaSecurityKey(other) { KeyId = "key-2" })));
    }
}
