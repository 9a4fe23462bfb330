using System.Net.Sockets;

namespace Platform.ApiServer.Client;

/// <summary>
/// Sends each request to the current apiserver replica; when that replica cannot be reached (no connection could be
/// made, so the request never arrived) the same request goes to the next one at once, and later requests stay there.
/// A request that reached a replica which then died is not sent again here: whether a write landed is unknown, and
/// <see cref="ApiClient"/>'s retry rules decide. The request's content must be buffered (the kit's always is).
/// </summary>
public sealed class FailoverHandler(ApiServerEndpoints endpoints) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var original = request.RequestUri ?? throw new InvalidOperationException("a request without a URI");
        var index = endpoints.Current;
        for (var attempt = 1; ; attempt++)
        {
            request.RequestUri = endpoints.Rebase(original, index);
            try
            {
                return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException ex) when (NeverArrived(ex) && attempt < endpoints.Replicas.Count && !cancellationToken.IsCancellationRequested)
            {
                index = endpoints.Advance(index);
            }
        }
    }

    /// <summary>No connection was made: refused, unreachable, or the connect attempt timed out.</summary>
    internal static bool NeverArrived(HttpRequestException ex) =>
        ex.HttpRequestError == HttpRequestError.ConnectionError ||
        ex.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.HostUnreachable or SocketError.NetworkUnreachable or SocketError.TimedOut };
}
