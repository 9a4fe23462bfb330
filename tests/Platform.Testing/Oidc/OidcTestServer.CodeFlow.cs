using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Platform.Testing.Oidc;

/// <summary>
/// The authorization code flow with PKCE, as a relying party (the console) meets it: <c>/authorize</c> approves
/// <see cref="LoginSubject"/> at once (no login form) and redirects back with a single-use code; <c>/token</c> trades it
/// for an ID token only with the same client_id and redirect_uri and a code_verifier whose S256 hash is the challenge.
/// </summary>
public sealed partial class OidcTestServer
{
    private readonly ConcurrentDictionary<string, PendingCode> _codes = new();
    private readonly ConcurrentDictionary<string, PendingCode> _refreshTokens = new();
    private int _codeExchanges;
    private int _refreshes;

    /// <summary>The user <c>/authorize</c> signs in (its <c>sub</c>).</summary>
    public string LoginSubject { get; set; } = "alice";

    /// <summary>Further claims of the ID tokens <c>/token</c> issues (<c>email</c>, <c>groups</c>).</summary>
    public IReadOnlyDictionary<string, object> LoginClaims { get; set; } = new Dictionary<string, object>();

    /// <summary>How long the ID tokens <c>/token</c> issues live.</summary>
    public TimeSpan IdTokenLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How many codes were traded for tokens.</summary>
    public int CodeExchanges => Volatile.Read(ref _codeExchanges);

    /// <summary>How many refresh tokens were traded for new tokens (issued only when <c>offline_access</c> was asked for).</summary>
    public int Refreshes => Volatile.Read(ref _refreshes);

    private sealed record PendingCode(string ClientId, string RedirectUri, string Challenge, string? Nonce, string Subject, bool Offline);

    private void MapCodeFlow(WebApplication app)
    {
        app.MapGet("/authorize", (HttpRequest request) =>
        {
            string? Q(string name) => request.Query[name].FirstOrDefault();
            if (Q("response_type") != "code") return Error("unsupported_response_type", "response_type must be code");
            if (Q("client_id") is not { Length: > 0 } clientId) return Error("invalid_request", "client_id required");
            if (Q("redirect_uri") is not { } redirect || !Uri.TryCreate(redirect, UriKind.Absolute, out _)) return Error("invalid_request", "redirect_uri must be absolute");
            if (Q("code_challenge_method") != "S256" || Q("code_challenge") is not { Length: >= 43 } challenge) return Error("invalid_request", "PKCE S256 required");
            var code = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(24));
            var offline = (Q("scope") ?? "").Split(' ').Contains("offline_access");
            _codes[code] = new PendingCode(clientId, redirect, challenge, Q("nonce"), LoginSubject, offline);
            var back = QueryHelpers.AddQueryString(redirect, new Dictionary<string, string?> { ["code"] = code, ["state"] = Q("state"), ["iss"] = Issuer });
            return Results.Redirect(back);
        });
        app.MapPost("/token", async (HttpRequest request) =>
        {
            var form = await request.ReadFormAsync();
            string? F(string name) => form[name].FirstOrDefault();
            if (F("grant_type") == "refresh_token")
            {
                // Rotated on every use, as most providers do: the old refresh token stops working.
                if (F("refresh_token") is not { } old || !_refreshTokens.TryRemove(old, out var grant)) return Error("invalid_grant", "unknown or used refresh token");
                if (F("client_id") != grant.ClientId) return Error("invalid_client", "client_id differs");
                Interlocked.Increment(ref _refreshes);
                return Tokens(grant with { Nonce = null });
            }
            if (F("grant_type") != "authorization_code") return Error("unsupported_grant_type", "only authorization_code and refresh_token");
            if (F("code") is not { } code || !_codes.TryRemove(code, out var pending)) return Error("invalid_grant", "unknown or used code");
            if (F("client_id") != pending.ClientId) return Error("invalid_client", "client_id differs from the authorize request");
            if (F("redirect_uri") != pending.RedirectUri) return Error("invalid_grant", "redirect_uri differs from the authorize request");
            var verifier = F("code_verifier") ?? "";
            if (Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))) != pending.Challenge) return Error("invalid_grant", "code_verifier does not match the challenge");
            Interlocked.Increment(ref _codeExchanges);
            return Tokens(pending);
        });
    }

    private IResult Tokens(PendingCode grant)
    {
        var answer = new Dictionary<string, object>
        {
            ["access_token"] = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(24)),
            ["token_type"] = "Bearer",
            ["expires_in"] = (int)IdTokenLifetime.TotalSeconds,
            ["id_token"] = IdToken(grant),
        };
        if (grant.Offline)
        {
            var refresh = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(24));
            _refreshTokens[refresh] = grant;
            answer["refresh_token"] = refresh;
        }
        return Results.Json(answer);
    }

    private string IdToken(PendingCode pending)
    {
        var now = DateTime.UtcNow;
        var claims = new Dictionary<string, object>(LoginClaims) { ["sub"] = pending.Subject };
        if (pending.Nonce is not null) claims["nonce"] = pending.Nonce;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = pending.ClientId,
            Claims = claims,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + IdTokenLifetime,
            SigningCredentials = new SigningCredentials(_key, SecurityAlgorithms.RsaSha256),
        });
    }

    private static IResult Error(string error, string description) =>
        Results.Json(new { error, error_description = description }, statusCode: StatusCodes.Status400BadRequest);
}
