using System.CommandLine;
using System.Net.Http.Headers;
using Platform.ApiServer.Client;
using Platform.Ctl.Client;
using Platform.Ctl.Config;

namespace Platform.Ctl;

/// <summary>
/// Server, token and namespace for one command: flags first, then <c>PLATFORM_APISERVER_URL</c> /
/// <c>PLATFORM_TOKEN</c> / <c>PLATFORM_CA_FILE</c> (what <c>./platform env</c> prints), then the current context of the config file.
/// </summary>
public sealed class CtlSession : IDisposable
{
    private readonly HttpClient _http;

    private CtlSession(HttpClient http, string ns)
    {
        _http = http;
        Api = new ResourceClient(new ApiClient(http, new ApiClientOptions(), TimeProvider.System));
        Namespace = ns;
    }

    public ResourceClient Api { get; }
    public string Namespace { get; }

    /// <summary>The apiserver's URL, for the streams that leave HTTP (exec's WebSocket).</summary>
    public Uri Server => _http.BaseAddress!;

    /// <summary>The bearer token, if any, for those streams.</summary>
    public string? Token => _http.DefaultRequestHeaders.Authorization?.Parameter;

    public static CtlSession Create(ParseResult parse, GlobalOptions g, CtlEnvironment env)
    {
        var config = CtlConfig.Load(g.ConfigPath(parse, env));
        var contextName = parse.GetValue(g.Context);
        var context = contextName is null ? config.Current : config.Contexts.FirstOrDefault(c => c.Name == contextName)
            ?? throw new CtlException($"context \"{contextName}\" not found (platformctl config get-contexts)");
        string? Env(string name) => env.Variables.GetValueOrDefault(name) is { Length: > 0 } v ? v : null;
        var explicitContext = contextName is not null;
        var server = parse.GetValue(g.Server) ?? (explicitContext ? context?.Server : Env("PLATFORM_APISERVER_URL") ?? context?.Server) ?? "http://127.0.0.1:7070";
        var token = parse.GetValue(g.Token) ?? (explicitContext ? context?.Token : Env("PLATFORM_TOKEN") ?? context?.Token);
        // One URL, or the replicas of an HA control plane separated by commas: an unreachable one is passed over.
        if (!ApiServerEndpoints.TryParse(server, out var endpoints, out var serverError)) throw new CtlException($"--server: {serverError}");
        var ca = parse.GetValue(g.CertificateAuthority) ?? (explicitContext ? context?.CertificateAuthority : Env("PLATFORM_CA_FILE") ?? context?.CertificateAuthority);
        SocketsHttpHandler handler;
        try { handler = ApiServerTrust.Handler(ca); }
        catch (InvalidOperationException ex) { throw new CtlException($"--certificate-authority: {ex.Message}"); }
        HttpMessageHandler chain = endpoints.Replicas.Count > 1 ? new FailoverHandler(endpoints) { InnerHandler = handler } : handler;
        var http = new HttpClient(chain) { BaseAddress = endpoints.Replicas[0], Timeout = Timeout.InfiniteTimeSpan };
        if (token is not null) http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return new CtlSession(http, parse.GetValue(g.Namespace) ?? context?.Namespace ?? "default");
    }

    public void Dispose() => _http.Dispose();
}
