using System.Diagnostics;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Platform.Contracts.Resources;

namespace Platform.Testing.ApiServer;

/// <summary>
/// The real apiserver as its own process (its built Platform.ApiServer.dll), with its own database and topic prefix
/// on the shared mock Kafka cluster, on a free loopback port, with a known admin token.
/// </summary>
public sealed class ApiServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];

    private ApiServerProcess(Process process, Uri address, string adminToken, string topicPrefix)
    {
        _process = process;
        BaseAddress = address;
        AdminToken = adminToken;
        TopicPrefix = topicPrefix;
    }

    public Uri BaseAddress { get; }
    public string AdminToken { get; }
    public string TopicPrefix { get; }

    public static async Task<ApiServerProcess> StartAsync(PostgresFixture pg, KafkaFixture kafka)
    {
        var connectionString = await pg.CreateDatabaseAsync("apiserver");
        var topicPrefix = $"t{Guid.NewGuid():N}"[..13] + ".";
        foreach (var kind in ResourceKinds.All) kafka.EnsureTopic(topicPrefix + kind.Plural, 3);
        var adminToken = "test-admin-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var port = Network.FreeTcpPort();
        var dll = ApiServerDll();
        var psi = new ProcessStartInfo("dotnet", [dll])
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        psi.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        psi.Environment["ConnectionStrings__Platform"] = connectionString;
        psi.Environment["Kafka__BootstrapServers"] = kafka.BootstrapServers;
        psi.Environment["ApiServer__TopicPrefix"] = topicPrefix;
        psi.Environment["ApiServer__StateDirectory"] = Directory.CreateTempSubdirectory("apiserver-state-").FullName;
        psi.Environment["ApiServer__AdminToken"] = adminToken;
        psi.Environment["Outbox__IdleWakeup"] = "00:00:01";
        psi.Environment["ApiServer__Kubelet__ResponseTimeout"] = "00:00:02"; // a node agent that never answers costs a log test 2 s, not 15
        psi.Environment["Logging__LogLevel__Default"] = "Warning";
        var process = Process.Start(psi) ?? throw new InvalidOperationException("dotnet did not start");
        var server = new ApiServerProcess(process, new Uri($"http://127.0.0.1:{port}"), adminToken, topicPrefix);
        process.OutputDataReceived += (_, e) => server.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => server.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var probe = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        try
        {
            await Eventually.WaitAsync(async () =>
            {
                if (process.HasExited) throw new Xunit.Sdk.XunitException("apiserver exited: " + server.Output);
                using var r = await probe.GetAsync("/readyz");
                return r.IsSuccessStatusCode;
            }, TimeSpan.FromSeconds(90), "apiserver /readyz");
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
        return server;
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        lock (_output)
        {
            _output.Add(line);
            if (_output.Count > 200) _output.RemoveAt(0);
        }
    }

    public string Output
    {
        get { lock (_output) return string.Join('\n', _output); }
    }

    /// <summary><c>services/apiserver/bin/{Configuration}/{tfm}/Platform.ApiServer.dll</c>, built through the project reference.</summary>
    private static string ApiServerDll()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        var tfm = dir.Name;
        var configuration = dir.Parent!.Name;
        var root = dir;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Directory.Build.props"))) root = root.Parent;
        var dll = Path.Combine(root?.FullName ?? throw new InvalidOperationException("repository root not found"), "services", "apiserver", "bin", configuration, tfm, "Platform.ApiServer.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException("build services/apiserver first", dll);
    }

    public HttpClient Client(string? token = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token ?? AdminToken);
        return client;
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
