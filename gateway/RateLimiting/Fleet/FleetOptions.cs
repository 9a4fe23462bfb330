namespace Platform.Gateway.RateLimiting.Fleet;

/// <summary>
/// <c>Gateway:RateLimiter:Fleet</c>: how the gateway replicas share RequestRateLimiter buckets. Unset (no
/// <c>App</c>, no <c>Peers</c>): each replica keeps its own buckets. Set: each bucket key is owned by one live
/// replica (rendezvous hash over the members) and the others take their tokens from it.
/// </summary>
public sealed class FleetOptions
{
    /// <summary>
    /// <c>Gateway:RateLimiter:Fleet:App</c>: the registry application the gateway replicas are registered under (e.g.
    /// <c>GATEWAY</c>, <c>Gateway:Discovery:Register</c>); its UP instances are the members.
    /// </summary>
    public string? App { get; set; }

    /// <summary>
    /// <c>Gateway:RateLimiter:Fleet:Peers:N</c>: base URLs of every replica (this one included), used when the registry
    /// lists no instance of <c>App</c> (or <c>App</c> is unset).
    /// </summary>
    public List<string> Peers { get; set; } = [];

    /// <summary>
    /// <c>Gateway:RateLimiter:Fleet:Self</c>: this replica's URL as the members list it (default: the member whose
    /// port is one this process listens on, at the same host or a wildcard address).
    /// </summary>
    public string? Self { get; set; }

    /// <summary>
    /// <c>Gateway:RateLimiter:Fleet:Secret</c>: bearer token replicas present to each other's take endpoint (default:
    /// <c>Gateway:Admin:Token</c>, which every replica of a fleet shares).
    /// </summary>
    public string? Secret { get; set; }

    /// <summary><c>Gateway:RateLimiter:Fleet:PeerTimeout</c>: how long a take waits for the owner before the local fallback (250 ms).</summary>
    public TimeSpan PeerTimeout { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary><c>Gateway:RateLimiter:Fleet:PeerDownFor</c>: how long an owner that did not answer is skipped (the local fallback serves its keys) (2 s).</summary>
    public TimeSpan PeerDownFor { get; set; } = TimeSpan.FromSeconds(2);

    public bool Enabled => App is { Length: > 0 } || Peers.Count > 0;

    /// <summary>Adds an error naming the key for every bad setting.</summary>
    internal void Validate(List<string> errors)
    {
        for (var i = 0; i < Peers.Count; i++)
        {
            if (!IsHttpUrl(Peers[i])) errors.Add($"Gateway:RateLimiter:Fleet:Peers:{i}: '{Peers[i]}' is not an absolute http(s) URL");
        }
        if (Self is { Length: > 0 } self && !IsHttpUrl(self)) errors.Add($"Gateway:RateLimiter:Fleet:Self: '{self}' is not an absolute http(s) URL");
        if (PeerTimeout <= TimeSpan.Zero || PeerTimeout > TimeSpan.FromSeconds(10)) errors.Add("Gateway:RateLimiter:Fleet:PeerTimeout: must be > 0 and <= 10 s");
        if (PeerDownFor < TimeSpan.Zero) errors.Add("Gateway:RateLimiter:Fleet:PeerDownFor: must be >= 0");
    }

    private static bool IsHttpUrl(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}
