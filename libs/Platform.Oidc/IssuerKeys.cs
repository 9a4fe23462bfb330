using System.Net;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Platform.Oidc;

/// <summary>
/// The signing keys of one issuer: from its discovery document (<c>{authority}/.well-known/openid-configuration</c>: its
/// <c>issuer</c> and <c>jwks_uri</c>), else from a JWKS URL. Refreshed every <see cref="IssuerKeysSettings.RefreshInterval"/>
/// (<see cref="IssuerKeysRefresher"/>) and when a token names a <c>kid</c> not held, at most once per
/// <see cref="IssuerKeysSettings.MinRefreshInterval"/>, so a key rotation at the issuer needs no restart and a stream of
/// made-up kids cannot turn into a stream of fetches. A failed refresh keeps the keys held; with none held yet,
/// <see cref="GetAsync"/> throws <see cref="IssuerUnavailableException"/>. Shared by the gateway's JwtAuthentication and
/// the apiserver's OIDC authenticator.
/// </summary>
/// <param name="settings">Read on every fetch, so options reloaded at run time apply.</param>
/// <param name="httpClient">A client with a bounded timeout (an issuer that hangs must not hang requests).</param>
public sealed class IssuerKeys(Func<IssuerKeysSettings> settings, Func<HttpClient> httpClient, TimeProvider time)
{
    /// <summary>Discovery documents and key sets larger than this are refused (real ones are a few KB).</summary>
    public const int MaxDocumentBytes = 1024 * 1024;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile IssuerMetadata? _current;
    private long _lastAttempt = long.MinValue;
    private string? _lastError;

    /// <summary>Whether keys come from a discovery document or a JWKS URL at all.</summary>
    public bool Configured => settings().Configured;

    /// <summary>The settings in effect (for the refresher's intervals).</summary>
    public IssuerKeysSettings Settings => settings();

    /// <summary>
    /// Validates <paramref name="token"/> with the parameters <paramref name="parameters"/> builds from the issuer's
    /// metadata; a signing key not held (the issuer rotated) makes one rate-limited refresh and a second try. Throws
    /// <see cref="IssuerUnavailableException"/> as <see cref="GetAsync"/> does.
    /// </summary>
    public async Task<(TokenValidationResult Result, IssuerMetadata Issuer)> ValidateAsync(JsonWebTokenHandler handler, string token,
        Func<IssuerMetadata, TokenValidationParameters> parameters, CancellationToken cancellationToken)
    {
        var issuer = await GetAsync(unknownKid: false, cancellationToken).ConfigureAwait(false);
        var result = await handler.ValidateTokenAsync(token, parameters(issuer)).ConfigureAwait(false);
        if (!result.IsValid && result.Exception is SecurityTokenSignatureKeyNotFoundException)
        {
            issuer = await GetAsync(unknownKid: true, cancellationToken).ConfigureAwait(false);
            result = await handler.ValidateTokenAsync(token, parameters(issuer)).ConfigureAwait(false);
        }
        return (result, issuer);
    }

    /// <summary>The keys held (fetching them when none are), or, with <paramref name="unknownKid"/>, after one rate-limited refresh.</summary>
    public async Task<IssuerMetadata> GetAsync(bool unknownKid, CancellationToken cancellationToken)
    {
        var current = _current;
        if (current is not null && !unknownKid) return current;
        if (!MayAttempt())
        {
            if (current is not null) return current;
            // A load may be under way (the start-up one): wait for it rather than answer "unavailable" meanwhile.
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
            var s = settings();
            var client = httpClient();
            string? issuer = null;
            var jwksUrl = s.JwksUrl;
            try
            {
                if (s.Authority is { Length: > 0 } authority)
                {
                    var discovery = new Uri(authority.TrimEnd('/') + "/.well-known/openid-configuration");
                    using var doc = JsonDocument.Parse(await GetAsync(client, s, discovery, cancellationToken).ConfigureAwait(false));
                    issuer = doc.RootElement.TryGetProperty("issuer", out var i) && i.ValueKind == JsonValueKind.String ? i.GetString() : null;
                    jwksUrl = doc.RootElement.TryGetProperty("jwks_uri", out var j) && j.ValueKind == JsonValueKind.String ? j.GetString() : null;
                    if (string.IsNullOrEmpty(issuer) || string.IsNullOrEmpty(jwksUrl))
                        throw new FormatException($"{discovery}: the discovery document has no issuer or jwks_uri");
                }
                var keys = new JsonWebKeySet(await GetAsync(client, s, new Uri(jwksUrl!), cancellationToken).ConfigureAwait(false)).GetSigningKeys();
                _current = new IssuerMetadata(issuer, [.. keys]);
                _lastError = null;
                return null;
            }
            catch (Exception ex) when (ex is HttpRequestException or JsonException or FormatException or ArgumentException or UriFormatException
                || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
                _lastError = $"the issuer's keys could not be loaded from {s.Authority ?? s.JwksUrl}: {ex.Message}";
                return _lastError;
            }
        }
        finally { _gate.Release(); }
    }

    private bool MayAttempt()
    {
        var last = Interlocked.Read(ref _lastAttempt);
        return last == long.MinValue || time.GetElapsedTime(last) >= settings().MinRefreshInterval;
    }

    private static async Task<string> GetAsync(HttpClient client, IssuerKeysSettings s, Uri url, CancellationToken cancellationToken)
    {
        if (url.Scheme != Uri.UriSchemeHttps && s.RequireHttpsMetadata && !IsLoopback(url))
            throw new FormatException($"{url}: metadata must come over https ({s.ConfigKeyPrefix}:RequireHttpsMetadata)");
        using var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode) throw new HttpRequestException($"{url}: HTTP {(int)response.StatusCode}", null, response.StatusCode);
        if (response.Content.Headers.ContentLength > MaxDocumentBytes) throw new FormatException($"{url}: larger than {MaxDocumentBytes} bytes");
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxDocumentBytes) throw new FormatException($"{url}: larger than {MaxDocumentBytes} bytes");
            buffer.Write(chunk, 0, read);
        }
        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static bool IsLoopback(Uri url) => url.IsLoopback || (IPAddress.TryParse(url.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
}
