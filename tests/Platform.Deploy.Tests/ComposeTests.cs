using System.Net;
using System.Net.Http.Headers;
using Docker.DotNet.Models;
using Platform.Deploy.Tests.Support;
using Platform.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Platform.Deploy.Tests;

/// <summary>docker-compose.yml: valid for both profiles, and its local profile runs healthy on the images built here.</summary>
[Collection(DeployCollection.Name)]
public sealed class ComposeTests(DeployFixture fixture, ITestOutputHelper output) : IDisposable
{
    private static readonly string[] PlatformServices =
        ["apiserver", "discovery", "config-server", "gateway", "scheduler", "controller-manager", "node-agent", "connect", "console"];

    private readonly string _dir = Directory.CreateTempSubdirectory("platform-compose-").FullName;

    [Theory]
    [InlineData(false, "kafka-1:9092,kafka-2:9092,kafka-3:9092")]
    [InlineData(true, "dev-broker:9092,dev-broker:9093,dev-broker:9094")]
    public async Task ComposeConfig_GeneratedEnv_ValidatesWithKafkaOrTheStandInByProfile(bool local, string bootstrap)
    {
        var env = await WriteEnvAsync(local);

        var config = await ComposeAsync(env, "compose-config", ["config"]);

        Assert.True(config.ExitCode == 0, config.Describe("docker-compose config"));
        var services = (Dictionary<object, object>)new YamlDotNet.Serialization.Deserializer().Deserialize<Dictionary<object, object>>(config.Output)["services"];
        IEnumerable<string> Profiles(string service) =>
            ((Dictionary<object, object>)services[service]).TryGetValue("profiles", out var p) ? ((List<object>)p).Cast<string>() : [];
        string Env(string service, string key) => (string)((Dictionary<object, object>)((Dictionary<object, object>)services[service])["environment"])[key];
        // Postgres, the bootstrap and every platform service start in both profiles; only the brokers differ.
        Assert.All(PlatformServices.Append("postgres").Append("bootstrap"), s => Assert.Empty(Profiles(s)));
        Assert.All(["kafka-1", "kafka-2", "kafka-3"], s => Assert.Equal(["kafka"], Profiles(s)));
        Assert.Equal(["local"], Profiles("dev-broker"));
        Assert.Equal(local ? "local" : "kafka", EnvValue(env, "COMPOSE_PROFILES"));
        Assert.All(PlatformServices, s => Assert.Equal(bootstrap, Env(s, "Kafka__BootstrapServers")));
        Assert.Equal(local ? "platform/postgres:15" : "postgres:15", (string)((Dictionary<object, object>)services["postgres"])["image"]);
    }

    [Fact]
    public async Task ComposeEnv_WrittenTwice_KeepsTheSecretsAndIsPrivate()
    {
        var first = await File.ReadAllTextAsync(await WriteEnvAsync(local: true));
        var path = await WriteEnvAsync(local: false);
        var second = await File.ReadAllTextAsync(path);

        string Value(string text, string key) => text.Split('\n').Single(l => l.StartsWith(key + "=", StringComparison.Ordinal));
        Assert.Equal(Value(first, "PLATFORM_ADMIN_TOKEN"), Value(second, "PLATFORM_ADMIN_TOKEN"));
        Assert.Equal(Value(first, "POSTGRES_PASSWORD"), Value(second, "POSTGRES_PASSWORD"));
        Assert.Equal("COMPOSE_PROFILES=kafka", Value(second, "COMPOSE_PROFILES"));
        if (!OperatingSystem.IsLinux()) throw new PlatformNotSupportedException("the platform's scripts run on Linux");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Contains(".env", await File.ReadAllLinesAsync(Path.Combine(Repository.Root, ".gitignore")));
    }

    [Fact]
    public async Task LocalProfile_UpOnLocalImages_EveryServiceHealthy_ThenDownLeavesNothing()
    {
        Assert.True(fixture.Images.ExitCode == 0, fixture.Images.Describe("./platform images"));
        var env = await WriteEnvAsync(local: true);
        var ports = PlatformServicesWithPorts.ToDictionary(p => p.Key, p => (Variable: p.Value, Port: Platform.Testing.Network.FreeTcpPort()));
        await File.AppendAllLinesAsync(env, ports.Values.Select(p => $"{p.Variable}={p.Port}"));
        var project = $"deploytest{Guid.NewGuid():N}"[..20];
        var started = DateTime.UtcNow;
        try
        {
            var up = await ComposeAsync(env, project, ["up", "-d", "--no-build"], TimeSpan.FromMinutes(10));
            Assert.True(up.ExitCode == 0, up.Describe("docker-compose up") + await LogsAsync(env, project));

            await Eventually.WaitAsync(() => AllHealthyAsync(project), TimeSpan.FromMinutes(6), $"every service of {project} healthy")
                .ContinueWith(async t => { if (t.IsFaulted) Assert.Fail(t.Exception!.InnerException!.Message + await LogsAsync(env, project)); }).Unwrap();
            output.WriteLine($"every service healthy {(DateTime.UtcNow - started).TotalSeconds:0}s after up");

            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            foreach (var (service, (_, port)) in ports.Select(p => (p.Key, p.Value)))
            {
                var path = service == "apiserver" ? "/readyz" : "/healthz";
                using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}{path}"));
                if (response.StatusCode != HttpStatusCode.OK)
                    Assert.Fail($"{service} {path} on published port {port}: {(int)response.StatusCode}\n" +
                        await response.Content.ReadAsStringAsync() + await LogsAsync(env, project));
            }
            // The node agent joined with the node token the bootstrap service issued: the Node is registered and Ready.
            var apiserver = $"http://127.0.0.1:{ports["apiserver"].Port}";
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", EnvValue(env, "PLATFORM_ADMIN_TOKEN"));
            await Eventually.WaitAsync(async () =>
                (await http.GetStringAsync(new Uri($"{apiserver}/api/v1/nodes/compose-node")))
                    .Contains("\"type\":\"Ready\",\"status\":\"True\"", StringComparison.Ordinal),
                TimeSpan.FromMinutes(2), "Node compose-node Ready");

            // A ConfigMap made after the config server listed reaches it on Kafka: apiserver -> dev broker (relayed
            // between containers) -> config server, which serves it with the token the bootstrap service issued.
            var created = await http.PostAsync(new Uri($"{apiserver}/api/v1/namespaces/default/configmaps"), new StringContent(
                """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"deploytest","labels":{"config.platform.io/application":"deploytest"}},"data":{"greeting":"hello-from-compose"}}""",
                System.Text.Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            var basic = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{EnvValue(env, "PLATFORM_BASIC_USER")}:{EnvValue(env, "PLATFORM_BASIC_PASSWORD")}"));
            using var config = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            config.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", basic);
            await Eventually.WaitAsync(async () =>
                (await config.GetStringAsync(new Uri($"http://127.0.0.1:{ports["config-server"].Port}/deploytest/default")))
                    .Contains("hello-from-compose", StringComparison.Ordinal),
                TimeSpan.FromMinutes(1), "the ConfigMap served by the config server", TimeSpan.FromMilliseconds(500));

            foreach (var container in await ContainersAsync(project))
            {
                var inspect = await fixture.Docker.Client.Containers.InspectContainerAsync(container.ID);
                var service = container.Labels["com.docker.compose.service"];
                if (service is "postgres" or "bootstrap") continue;
                Assert.True(inspect.HostConfig.ReadonlyRootfs, $"{service}: root filesystem not read-only");
                Assert.Equal("1654", inspect.Config.User);
            }
        }
        finally
        {
            var down = await ComposeAsync(env, project, ["down", "-v", "--remove-orphans", "-t", "20"], TimeSpan.FromMinutes(3));
            output.WriteLine(down.Describe("docker-compose down"));
        }
        var filter = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [$"com.docker.compose.project={project}"] = true } };
        Assert.Empty(await ContainersAsync(project));
        Assert.Empty((await fixture.Docker.Client.Volumes.ListAsync(new VolumesListParameters { Filters = filter })).Volumes ?? []);
        Assert.Empty(await fixture.Docker.Client.Networks.ListNetworksAsync(new NetworksListParameters { Filters = filter }));
        output.WriteLine($"local profile up, healthy and down in {(DateTime.UtcNow - started).TotalSeconds:0}s");
    }

    // The published port of each service with one, by the .env variable naming it.
    private static readonly Dictionary<string, string> PlatformServicesWithPorts = new()
    {
        ["apiserver"] = "APISERVER_PORT", ["discovery"] = "DISCOVERY_PORT", ["config-server"] = "CONFIG_SERVER_PORT",
        ["gateway"] = "GATEWAY_PORT", ["connect"] = "CONNECT_PORT", ["console"] = "CONSOLE_PORT",
    };

    private async Task<bool> AllHealthyAsync(string project)
    {
        var containers = await ContainersAsync(project);
        var byService = containers.ToDictionary(c => c.Labels["com.docker.compose.service"]);
        foreach (var service in PlatformServices.Append("postgres").Append("dev-broker"))
        {
            if (!byService.TryGetValue(service, out var container)) return false;
            var inspect = await fixture.Docker.Client.Containers.InspectContainerAsync(container.ID);
            if (inspect.State.Health?.Status != "healthy") return false;
        }
        if (!byService.TryGetValue("bootstrap", out var bootstrap)) return false;
        var state = (await fixture.Docker.Client.Containers.InspectContainerAsync(bootstrap.ID)).State;
        if (state.Status == "exited" && state.ExitCode != 0) throw new Xunit.Sdk.XunitException($"bootstrap exited {state.ExitCode}");
        return state.Status == "exited";
    }

    private async Task<IList<ContainerListResponse>> ContainersAsync(string project) =>
        await fixture.Docker.Client.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>>
            {
                ["label"] = new Dictionary<string, bool> { [$"com.docker.compose.project={project}"] = true },
            },
        });

    private static string EnvValue(string env, string key) =>
        File.ReadLines(env).Single(l => l.StartsWith(key + "=", StringComparison.Ordinal))[(key.Length + 1)..];

    private async Task<string> WriteEnvAsync(bool local)
    {
        var path = Path.Combine(_dir, ".env");
        string[] args = local ? ["compose-env", "--local", "--file", path] : ["compose-env", "--file", path];
        var result = await Cli.RunAsync(Path.Combine(Repository.Root, "platform"), args, Repository.Root, fixture.Environment, TimeSpan.FromMinutes(1));
        Assert.True(result.ExitCode == 0, result.Describe("./platform compose-env"));
        return path;
    }

    private Task<CliResult> ComposeAsync(string env, string project, IEnumerable<string> args, TimeSpan? timeout = null) =>
        Cli.RunAsync("docker-compose",
            ["--env-file", env, "-p", project, "-f", Path.Combine(Repository.Root, "docker-compose.yml"), .. args],
            Repository.Root, fixture.Environment, timeout ?? TimeSpan.FromMinutes(1));

    private async Task<string> LogsAsync(string env, string project)
    {
        var logs = await ComposeAsync(env, project, ["logs", "--no-color", "--tail", "30"]);
        return "\n--- docker-compose logs ---\n" + logs.Output;
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
