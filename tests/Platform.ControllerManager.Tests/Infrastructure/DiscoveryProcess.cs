using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Platform.Testing;

namespace Platform.ControllerManager.Tests.Infrastructure;

/// <summary>The real discovery server (its built Platform.Discovery.dll) as a process on a free loopback port, with Basic auth.</summary>
public sealed class DiscoveryProcess : IAsyncDisposable
{
    private readonly Process _process;

    private DiscoveryProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }
    public const string User = "eureka";
    public const string Password = "test-secret";

    /// <summary>What the controller-manager is configured with (credentials in the URL, as EUREKA_URL carries them).</summary>
    public string EurekaUrl => $"http://{User}:{Password}@127.0.0.1:{Port}/eureka";

    public static async Task<DiscoveryProcess> StartAsync()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        var root = dir;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Directory.Build.props"))) root = root.Parent;
        var dll = Path.Combine(root!.FullName, "discovery", "bin", dir.Parent!.Name, dir.Name, "Platform.Discovery.dll");
        var port = Network.FreeTcpPort();
        var psi = new ProcessStartInfo("dotnet", [dll, "--urls", $"http://127.0.0.1:{port}"]) { WorkingDirectory = Path.GetDirectoryName(dll)!, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        psi.Environment["Eureka__Server__Username"] = User;
        psi.Environment["Eureka__Server__Password"] = Password;
        psi.Environment["Logging__LogLevel__Default"] = "Warning";
        var process = Process.Start(psi)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new DiscoveryProcess(process, port);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        try
        {
            await Eventually.WaitAsync(async () => (await http.GetAsync($"http://127.0.0.1:{port}/healthz")).IsSuccessStatusCode, TimeSpan.FromSeconds(60), "discovery /healthz");
        }
        catch
        {
            await server.DisposeAsync(); // never leave a process behind
            throw;
        }
        return server;
    }

    /// <summary>The UP instances of the application <paramref name="app"/> (<c>NAME.NAMESPACE</c> for a Service) as (instanceId, port, metadata).</summary>
    public async Task<List<(string Id, int Port, Dictionary<string, string> Metadata)>> InstancesAsync(string app)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{Port}/eureka/apps/{app.ToUpperInvariant()}");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var r = await http.SendAsync(request);
        if (r.StatusCode == System.Net.HttpStatusCode.NotFound) return [];
        r.EnsureSuccessStatusCode();
        var instances = JsonNode.Parse(await r.Content.ReadAsStringAsync())!["application"]?["instance"];
        var list = instances is JsonArray a ? a.ToList() : instances is null ? [] : [instances];
        return list.Where(i => (string?)i!["status"] == "UP")
            .Select(i => ((string)i!["instanceId"]!, int.Parse(i["port"]!["$"]!.ToString(), System.Globalization.CultureInfo.InvariantCulture),
                (i["metadata"] as JsonObject ?? []).ToDictionary(m => m.Key, m => m.Value?.ToString() ?? ""))).ToList();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
