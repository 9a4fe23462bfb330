using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using Platform.ApiServer.Client;
using Platform.ApiServer.Client.Informers;

namespace Platform.ApiServer.Auth.Rbac;

/// <summary>
/// The apiserver's informers on itself, as kube-apiserver's RBAC authorizer follows Roles and bindings through a
/// loopback client: once Kestrel listens, a client kit <see cref="ApiClient"/> calls this process on one of its own
/// addresses with a token that lives only in memory (<see cref="Token"/>, the <c>system:apiserver</c> admin identity),
/// and the shared informers list and watch through it. It prefers a plain-HTTP address of this process; over HTTPS it
/// trusts <c>ApiServer:LoopbackCaFile</c> (default <c>PLATFORM_CA_FILE</c>, the CA that signed this server's certificate).
/// </summary>
internal sealed class LoopbackInformers : BackgroundService
{
    private readonly HttpClient _http;
    private readonly IServer _server;
    private readonly IHostApplicationLifetime _lifetime;

    public LoopbackInformers(IServer server, IHostApplicationLifetime lifetime, IOptions<ApiServerOptions> options, TimeProvider time, ILoggerFactory loggers)
    {
        _server = server;
        _lifetime = lifetime;
        Token = "loopback_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        _http = new HttpClient(ApiServerTrust.Handler(options.Value.LoopbackCaFile)) { Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        Factory = new SharedInformerFactory(new ApiClient(_http, new ApiClientOptions(), time), time, loggers);
    }

    /// <summary>The in-memory token of the loopback client (never stored, never logged).</summary>
    public string Token { get; }

    public static readonly Caller Identity = new("system:apiserver", Role.Admin, null, null);

    public SharedInformerFactory Factory { get; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (_lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        await using (stoppingToken.Register(() => started.TrySetCanceled()))
        {
            try { await started.Task; }
            catch (OperationCanceledException) { return; }
        }
        _http.BaseAddress = OwnAddress();
        // Stop watching as soon as the server begins to stop: Kestrel waits for open requests, these watches included.
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, _lifetime.ApplicationStopping);
        await Factory.Start(stopping.Token);
    }

    /// <summary>A loopback URL of this process: plain HTTP when it listens on it, else HTTPS; wildcard hosts become 127.0.0.1.</summary>
    private Uri OwnAddress()
    {
        var addresses = _server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var parsed = addresses.Select(a => new Uri(a.Replace("://+", "://127.0.0.1").Replace("://*", "://127.0.0.1").Replace("://0.0.0.0", "://127.0.0.1").Replace("://[::]", "://[::1]"))).ToList();
        var chosen = parsed.FirstOrDefault(u => u.Scheme == Uri.UriSchemeHttp) ?? parsed.FirstOrDefault()
            ?? throw new InvalidOperationException("the apiserver listens on no address its informers could call");
        return new UriBuilder(chosen) { Path = "/" }.Uri;
    }

    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }
}
