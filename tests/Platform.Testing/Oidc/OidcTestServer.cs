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

namespace Platform.Testing.Oidc;

/// <summary>
/// A small OIDC issuer on a loopback port: its discovery document and JWKS (the current RSA key only), tokens signed
/// with the current key, <see cref="Rotate"/> to a new key, and <see cref="Down"/> to answer 503 as an issuer that is
/// away. Used by the gateway's JwtAuthentication tests and the apiserver's OIDC authenticator tests; the console's
/// sign-in tests also use its authorization code flow (OidcTestServer.CodeFlow.cs).
/// </summary>
public sealed partial class OidcTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private volatile RsaSecurityKey _key = NewKey(1);
    private int _generation = 1;
    private int _jwksFetches;

    private OidcTestServer(WebApplication app) => _app = app;

    public string Issuer { get; private set; } = "";
    public bool Down { get; set; }
    public int JwksFetches => Volatile.Read(ref _jwksFetches);
    public string CurrentKid => _key.KeyId;

    /// <summary>Starts the issuer on a free port of <paramref name="host"/> (another loopback address is another site to a browser).</summary>
    public static async Task<OidcTestServer> StartAsync(string host = "127.0.0.1")
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://{host}:0");
        var app = builder.Build();
        var self = new OidcTestServer(app);
        app.MapGet("/.well-known/openid-configuration", () => self.Down
            ? Results.StatusCode(StatusCodes.Status503ServiceUnavailable)
            : Results.Json(new Dictionary<string, object>
            {
                ["issuer"] = self.Issuer,
                ["jwks_uri"] = self.Issuer + "/keys",
                ["authorization_endpoint"] = self.Issuer + "/authorize",
                ["token_endpoint"] = self.Issuer + "/token",
                ["response_types_supported"] = new[] { "code" },
                ["subject_types_supported"] = new[] { "public" },
                ["code_challenge_methods_supported"] = new[] { "S256" },
                ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
            }));
        app.MapGet("/keys", () =>
        {
            if (self.Down) return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
            Interlocked.Increment(ref self._jwksFetches);
            var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(self._key.Rsa.ExportParameters(false)) { KeyId = self._key.KeyId });
            return Results.Json(new { keys = new[] { new { kty = jwk.Kty, kid = jwk.Kid, use = "sig", alg = "RS256", n = jwk.N, e = jwk.E } } });
        });
        self.MapCodeFlow(app);
        await app.StartAsync();
        self.Issuer = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return self;
    }

    /// <summary>Replaces the signing key: the JWKS publishes only the new one from now on.</summary>
    public void Rotate() => _key = NewKey(Interlocked.Increment(ref _generation));

    /// <summary>
    /// A token for <c>sub=<paramref name="subject"/></c> (and any other <paramref name="claims"/>, e.g. <c>email</c>,
    /// <c>groups</c>), signed with the current key unless another is given; <paramref name="expiring"/> false leaves out
    /// <c>exp</c>, <c>nbf</c> and <c>iat</c>.
    /// </summary>
    public string Token(string audience = "gateway", string? issuer = null, DateTime? expires = null, SecurityKey? key = null,
        string subject = "bob", IReadOnlyDictionary<string, object>? claims = null, bool expiring = true)
    {
        var exp = expires ?? DateTime.UtcNow.AddMinutes(5);
        var all = new Dictionary<string, object> { ["sub"] = subject };
        foreach (var (name, value) in claims ?? new Dictionary<string, object>()) all[name] = value;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer ?? Issuer,
            Audience = audience,
            Claims = all,
            SigningCredentials = new SigningCredentials(key ?? _key, SecurityAlgorithms.RsaSha256),
        };
        if (expiring)
        {
            descriptor.NotBefore = exp.AddMinutes(-10);
            descriptor.IssuedAt = exp.AddMinutes(-10);
            descriptor.Expires = exp;
        }
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = expiring }.CreateToken(descriptor);
    }

    public static RsaSecurityKey NewKey(int generation, string? kid = null) => new(RSA.Create(2048)) { KeyId = kid ?? $"key-{generation}" };

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
