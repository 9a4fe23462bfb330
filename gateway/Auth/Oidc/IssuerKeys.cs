using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Platform.Gateway.Auth.Oidc;

/// <summary>
/// The signing keys of the configured issuer: from <c>Gateway:Auth:Jwt:Authority</c>'s discovery document
/// (<c>{authority}/.well-known/openid-configuration</c>: its <c>issuer</c> and <c>jwks_uri</c>), else from
/// <c>Gateway:Auth:Jwt:JwksUrl</c>. Refreshed every <c>JwksRefreshInterval</c> (<see cref="IssuerKeysRefresher"/>) and
/// when a token names a <c>kid</c> not held, at most once per <c>JwksMinRefreshInterval</c>, so a key rotation at the
/// issuer needs no restart and a stream of made-up kids cannot turn into a stream of fetches. A failed refresh keeps
/// the keys held; with none held yet, validation reports the issuer unavailable (<see cref="IssuerUnavailableException"/>).
/// </summary>
internal sealed class IssuerKeys(IOptions<AuthOptions> options, IHttpClientFactory httpClients, TimeProvider time)
{
    public const string HttpClientName = "jwks";
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile IssuerMetadata? _current;
    private long _lastAttempt = long.MinValue;
    private string? _lastError;

    /// <summary>Whether keys come from a discovery document or a JWKS URL at all.</summary>
    public bool Configured => Settings.Authority is { Length: > 0 } || Settings.JwksUrl is { Length: > 0 };

    private AuthOptions.JwtSettings Settings => options.Value.Jwt;

    /// <summary>The keys held (fetching them when none are), or, with <paramref name="unknownKid"/>, after one rate-limited refresh.</summary>
    public async Task<IssuerMetadata> GetAsync(bool unknownKid, CancellationToken cancellationToken)
    {
        var current = _current;
        if (current is not null && !unknownKid) return current;
        if (!MayAttempt())
        {
            if (current is not null) return current;
            // A load may be under way (the start-up one): wait for it rather than answer 503 meanwhile.
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            _gate.Release();
            return _current ?? throw new IssuerUnavailableException(_lastError ?? "the issuer's keys are not loaded yet");
        }
        await RefreshAsync(cancellationToken).ConfigureAwait(false);
        return _current ?? throw new IssuerUnavailableException(_lastError ?? "the issuer's keys are not loaded yet");
    }

    /// <summary>Fetches the discovery document (with an authority) and the key set; on failure keeps what is held and returns the reason.</summary>
    public async Task<string?> RefreshAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Interlocked.Exchange(ref _lastAttempt, time.GetTimestamp());
            var jwt = Settings;
            var client = httpClients.CreateClient(HttpClientName);
            string? issuer = null;
            var jwksUrl = jwt.JwksUrl;
            try
            {
                if (jwt.Authority is { Length: > 0 } authority)
                {
                    var discovery = new Uri(authority.TrimEnd('/') + "/.well-known/openid-configuration");
                    using var doc = JsonDocument.Parse(await GetAsync(client, discovery, cancellationToken).ConfigureAwait(false));
                    issuer = doc.RootElement.TryGetProperty("issuer", out var i) && i.ValueKind == JsonValueKind.String ? i.GetString() : null;
                    jwksUrl = doc.RootElement.TryGetProperty("jwks_uri", out var j) && j.ValueKind == JsonValueKind.String ? j.GetString() : null;
                    if (string.IsNullOrEmpty(issuer) || string.IsNullOrEmpty(jwksUrl))
                        throw new FormatException($"{discovery}: the discovery document has no issuer or jwks_uri");
                }
                var keys = new JsonWebKeySet(await GetAsync(client, new Uri(jwksUrl!), cancellationToken).ConfigureAwait(false)).GetSigningKeys();
                _current = new IssuerMetadata(issuer, [.. keys]);
                _lastError = null;
                return null;
            }
            catch (Exception ex) when (ex is HttpRequestException or JsonException or FormatException or ArgumentException or UriFormatException
                || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
                _lastError = $"the issuer's keys could not be loaded from {jwt.Authority ?? jwt.JwksUrl}: {ex.Message}";
                return _lastError;
            }
        }
        finally { _gate.Release(); }
    }

    private bool MayAttempt()
    {
        var last = Interlocked.Read(ref _lastAttempt);
        return last == long.MinValue || time.GetElapsedTime(last) >= Settings.JwksMinRefreshInterval;
    }

    private async Task<string> GetAsync(HttpClient client, Uri url, CancellationToken cancellationToken)
    {
        if (url.Scheme != Uri.UriSchemeHttps && Settings.RequireHttpsMetadata && !IsLoopback(url))
            throw new FormatException($"{url}: metadata must come over https (Gateway:Auth:Jwt:RequireHttpsMetadata)");
        using var response = await client.GetAsync(url, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode) throw new HttpRequestException($"{url}: HTTP {(int)response.StatusCode}", null, response.StatusCode);
        return await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
    }

    private static bool IsLoopback(Uri url) => url.IsLoopback || (IPAddress.TryParse(url.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
}

/// <summary>What the issuer publishes: its <c>issuer</c> (null without discovery) and signing keys.</summary>
internal sealed record IssuerMetadata(string? Issuer, IReadOnlyList<SecurityKey> Keys);

/// <summary>No keys of the issuer are held and they cannot be fetched now: a token cannot be checked either way.</summary>
internal sealed class IssuerUnavailableException(string message) : Exception(message);
