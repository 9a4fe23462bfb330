using System.Net.Http.Headers;
using System.Text;

namespace Platform.Discovery.Client.Transport;

/// <summary>
/// Several Eureka servers (Steeltoe's and Spring's comma-separated <c>serviceUrl</c>), tried in turn until one answers
/// below 500, starting with the last one that did, so a client keeps working while a registry server is down.
/// Credentials in a URL go out as Basic auth and never into the request URI or a log line.
/// </summary>
public sealed class EurekaServers
{
    private readonly IReadOnlyList<Uri> _urls;
    private int _preferred;

    public EurekaServers(IReadOnlyList<Uri> urls)
    {
        if (urls.Count == 0) throw new ArgumentException("at least one Eureka server URL is needed", nameof(urls));
        _urls = [.. urls.Select(u => u.AbsoluteUri.EndsWith('/') ? u : new Uri(u.AbsoluteUri + "/"))];
    }

    /// <summary>The servers of a comma-separated list; an entry that is not an absolute http(s) URL is named in <paramref name="error"/>.</summary>
    public static bool TryParse(string? list, out EurekaServers? servers, out string? error)
    {
        servers = null;
        error = null;
        var urls = new List<Uri>();
        foreach (var entry in (list ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!Uri.TryCreate(entry, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            {
                error = $"'{Redact(entry)}' is not an absolute http(s) URL";
                return false;
            }
            urls.Add(url);
        }
        if (urls.Count == 0)
        {
            error = "no URL given";
            return false;
        }
        servers = new EurekaServers(urls);
        return true;
    }

    public IReadOnlyList<Uri> Urls => _urls;

    /// <summary>
    /// Sends the request <paramref name="create"/> makes (its URI relative to the server's Eureka root, e.g. <c>apps/</c>)
    /// to each server in turn; a server that fails to connect, times out after <paramref name="timeout"/> or answers
    /// 5xx is reported to <paramref name="failed"/> and the next one is tried. Throws when none answered.
    /// </summary>
    public async Task<HttpResponseMessage> SendAsync(HttpClient http, Func<HttpRequestMessage> create, TimeSpan timeout, Action<string, string>? failed,
        CancellationToken ct)
    {
        Exception? last = null;
        for (var attempt = 0; attempt < _urls.Count; attempt++)
        {
            var index = (Volatile.Read(ref _preferred) + attempt) % _urls.Count;
            var baseUrl = _urls[index];
            using var request = create();
            request.RequestUri = new Uri(new UriBuilder(baseUrl) { UserName = "", Password = "" }.Uri, request.RequestUri!.OriginalString);
            if (baseUrl.UserInfo.Length > 0)
                request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.UnescapeDataString(baseUrl.UserInfo))));
            try
            {
                using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
                deadline.CancelAfter(timeout);
                var response = await http.SendAsync(request, deadline.Token);
                if ((int)response.StatusCode < 500)
                {
                    Volatile.Write(ref _preferred, index);
                    return response;
                }
                last = new HttpRequestException($"{Redact(baseUrl)} answered {(int)response.StatusCode}");
                response.Dispose();
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException && !ct.IsCancellationRequested)
            {
                last = ex;
            }
            failed?.Invoke(Redact(baseUrl), last!.Message);
        }
        throw new HttpRequestException($"no Eureka server answered ({string.Join(", ", _urls.Select(Redact))})", last);
    }

    /// <summary>The URL without its credentials, for messages.</summary>
    public static string Redact(Uri u) => new UriBuilder(u) { UserName = "", Password = "" }.Uri.ToString();

    private static string Redact(string u) => Uri.TryCreate(u, UriKind.Absolute, out var url) ? Redact(url) : u;
}
