namespace Platform.ApiServer.Client;

/// <summary>
/// The apiserver replicas a client may talk to, written as one setting: <c>https://10.0.0.1:6443,https://10.0.0.2:6443</c>
/// (the <c>ApiServerUrl</c> keys and <c>PLATFORM_APISERVER_URL</c>). The client sticks to the replica that last
/// answered and moves on to the next when one cannot be reached (<see cref="FailoverHandler"/>).
/// </summary>
public sealed class ApiServerEndpoints
{
    private readonly Uri[] _replicas;
    private int _current;

    private ApiServerEndpoints(Uri[] replicas) => _replicas = replicas;

    public IReadOnlyList<Uri> Replicas => _replicas;

    /// <summary>The replica requests go to now.</summary>
    public int Current => Volatile.Read(ref _current);

    /// <summary>
    /// Parses a comma-separated list of absolute http(s) URLs with no path, query or user info (each is a replica's
    /// root). The error names the entry and why it is refused.
    /// </summary>
    public static bool TryParse(string? value, out ApiServerEndpoints endpoints, out string error)
    {
        endpoints = new ApiServerEndpoints([]);
        var parts = (value ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0) { error = "no apiserver URL given"; return false; }
        if (parts.Length > 16) { error = $"{parts.Length} apiserver URLs; at most 16"; return false; }
        var replicas = new List<Uri>(parts.Length);
        foreach (var part in parts)
        {
            if (!Uri.TryCreate(part, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            { error = $"'{part}' is not an http(s) URL"; return false; }
            if (uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.UserInfo.Length > 0)
            { error = $"'{part}' must be a server's root (scheme, host and port only)"; return false; }
            if (replicas.Contains(uri)) { error = $"'{part}' is listed twice"; return false; }
            replicas.Add(uri);
        }
        endpoints = new ApiServerEndpoints([.. replicas]);
        error = "";
        return true;
    }

    /// <summary>As <see cref="TryParse"/>; throws <see cref="FormatException"/> naming <paramref name="setting"/> when the value is refused.</summary>
    public static ApiServerEndpoints Parse(string? value, string setting = "ApiServerUrl") =>
        TryParse(value, out var endpoints, out var error) ? endpoints : throw new FormatException($"{setting}: {error}");

    /// <summary>
    /// Moves on from <paramref name="failed"/> to the next replica, unless another request already did: the index
    /// of the replica to try now.
    /// </summary>
    public int Advance(int failed)
    {
        var next = (failed + 1) % _replicas.Length;
        Interlocked.CompareExchange(ref _current, next, failed);
        return next;
    }

    /// <summary><paramref name="request"/> rewritten to replica <paramref name="index"/>: same path and query, that scheme, host and port.</summary>
    public Uri Rebase(Uri request, int index)
    {
        var replica = _replicas[index];
        return new UriBuilder(request) { Scheme = replica.Scheme, Host = replica.Host, Port = replica.Port }.Uri;
    }
}
