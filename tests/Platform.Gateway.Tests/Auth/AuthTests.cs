using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Platform.Gateway.Auth;
using Platform.Gateway.Tests.Infrastructure;

namespace Platform.Gateway.Tests.Auth;

public sealed class AuthTests(AuthTests.Host host) : IClassFixture<AuthTests.Host>
{
    private const string Secret = "a-test-signing-secret-of-at-least-32-bytes!";

    public sealed class Host : IAsyncLifetime
    {
        public TestBackend Backend { get; private set; } = null!;
        public GatewayHost Gateway { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Backend = await TestBackend.StartAsync();
            Gateway = await GatewayHost.StartAsync($$"""
                spring:
                  cloud:
                    gateway:
                      routes:
                        - id: admin-only
                          uri: {{Backend.Url}}
                          predicates: [ "Path=/admin/**" ]
                          filters: [ "JwtAuthentication=admin" ]
                        - id: scoped
                          uri: {{Backend.Url}}
                          predicates: [ "Path=/scoped/**" ]
                          filters:
                            - name: JwtAuthentication
                              args:
                                scopes: orders.read
                        - id: relay
                          uri: {{Backend.Url}}
                          predicates: [ "Path=/relay/**" ]
                          filters: [ "JwtAuthentication", "TokenRelay" ]
                        - id: keyed
                          uri: {{Backend.Url}}
                          predicates: [ "Path=/keyed/**" ]
                          filters: [ "ApiKey=ops" ]
                """, new Dictionary<string, string?>
            {
                ["Gateway:Auth:Jwt:Issuer"] = "https://issuer.test",
                ["Gateway:Auth:Jwt:Audience"] = "gateway",
                ["Gateway:Auth:Jwt:SigningKeys:0"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(Secret)),
                ["Gateway:Auth:ApiKeys:ops-bot:Sha256"] = ApiKeyStore.Hash("ops-key-123"),
                ["Gateway:Auth:ApiKeys:ops-bot:Roles:0"] = "ops",
                ["Gateway:Auth:ApiKeys:reader:Sha256"] = ApiKeyStore.Hash("reader-key-456"),
            });
        }

        public async Task DisposeAsync()
        {
            await Gateway.DisposeAsync();
            await Backend.DisposeAsync();
        }
    }

    private static string Token(string audience = "gateway", string[]? roles = null, string? scope = null, string secret = Secret)
    {
        var claims = new Dictionary<string, object> { ["sub"] = "alice" };
        if (roles is not null) claims["roles"] = roles;
        if (scope is not null) claims["scope"] = scope;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "https://issuer.test",
            Audience = audience,
            Claims = claims,
            Expires = DateTime.UtcNow.AddMinutes(5),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(secret)), SecurityAlgorithms.HmacSha256),
        });
    }

    private async Task<HttpResponseMessage> GetAsync(string path, string? bearer = null, string? apiKey = null)
    {
        var req = new HttpRequestMessage(HttpMethod.Get, path);
        if (bearer is not null) req.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        if (apiKey is not null) req.Headers.Add("X-Api-Key", apiKey);
        return await host.Gateway.Client.SendAsync(req);
    }

    private static async Task<string> DetailAsync(HttpResponseMessage r)
    {
        Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString()!;
    }

    [Fact]
    public async Task Jwt_Missing_Is401WithChallenge()
    {
        using var r = await GetAsync("/admin/x");
        Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
        Assert.Equal("Bearer", r.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Contains("Bearer token is required", await DetailAsync(r), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Jwt_WrongAudience_Is401InvalidToken()
    {
        using var r = await GetAsync("/admin/x", Token(audience: "someone-else", roles: ["admin"]));
        Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
        Assert.Contains("invalid_token", r.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Contains("Audience", await DetailAsync(r), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Jwt_WrongSignature_Is401()
    {
        using var r = await GetAsync("/admin/x", Token(roles: ["admin"], secret: "another-secret-that-is-long-enough-32b!"));
        Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
    }

    [Fact]
    public async Task Jwt_MissingRole_Is403NamingTheRole()
    {
        using var r = await GetAsync("/admin/x", Token(roles: ["user"]));
        Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
        Assert.Contains("missing role(s): admin", await DetailAsync(r), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Jwt_ValidWithRole_Is200_AndTokenNotForwarded()
    {
        using var r = await GetAsync("/admin/x", Token(roles: ["admin"]));
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Null((await EchoResponse.ReadAsync(r)).Header("Authorization"));
    }

    [Fact]
    public async Task Jwt_Scope_IsRequired()
    {
        using var without = await GetAsync("/scoped/x", Token(scope: "orders.write"));
        Assert.Equal(HttpStatusCode.Forbidden, without.StatusCode);
        using var with = await GetAsync("/scoped/x", Token(scope: "orders.read orders.write"));
        Assert.Equal(HttpStatusCode.OK, with.StatusCode);
    }

    [Fact]
    public async Task TokenRelay_ForwardsTheValidatedToken()
    {
        var token = Token();
        using var r = await GetAsync("/relay/x", token);
        Assert.Equal("Bearer " + token, (await EchoResponse.ReadAsync(r)).Header("Authorization"));
    }

    [Fact]
    public async Task ApiKey_MissingUnknownWrongRoleValid()
    {
        using (var missing = await GetAsync("/keyed/x")) Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        using (var unknown = await GetAsync("/keyed/x", apiKey: "guess")) Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        using (var reader = await GetAsync("/keyed/x", apiKey: "reader-key-456")) Assert.Equal(HttpStatusCode.Forbidden, reader.StatusCode);
        using var ok = await GetAsync("/keyed/x", apiKey: "ops-key-123");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Null((await EchoResponse.ReadAsync(ok)).Header("X-Api-Key"));
    }
}
