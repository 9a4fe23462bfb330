using System.Diagnostics;
using System.Formats.Tar;
using Docker.DotNet;
using Docker.DotNet.Models;
using Xunit;

namespace Platform.Testing;

/// <summary>
/// A real Docker Engine. Uses <c>DOCKER_HOST</c> (set by <c>./platform test</c>) or the default socket; when no
/// engine answers, starts a private <c>dockerd</c> (root) with host-only networking on a socket, data and exec folder
/// of its own, so stopping it at the end never pulls the engine from under another test run. Imports
/// <see cref="BusyboxImage"/> and <see cref="PauseImage"/> from the machine's static busybox, since no image can be pulled here.
/// </summary>
public sealed class DockerFixture : IAsyncLifetime
{
    public const string BusyboxImage = "platform/busybox:test-3"; // -3: the applet set with nslookup
    /// <summary>The pod sandbox image agents under test use (<c>NodeAgent:PodNetwork:PauseImage</c>): the same busybox, another name.</summary>
    public const string PauseImage = "platform/pause:test";
    private Process? _dockerd;
    private string? _privateRoot;

    public DockerClient Client { get; private set; } = null!;
    public string Endpoint { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Endpoint = Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 } host ? host : "unix:///var/run/docker.sock";
        Client = new DockerClientConfiguration(new Uri(Endpoint)).CreateClient();
        if (!await PingAsync())
        {
            if (Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 })
                throw new InvalidOperationException($"DOCKER_HOST {Endpoint}: no Docker engine answers");
            _privateRoot = Directory.CreateTempSubdirectory("platform-dockerd-").FullName;
            Endpoint = $"unix://{_privateRoot}/docker.sock";
            Client.Dispose();
            Client = new DockerClientConfiguration(new Uri(Endpoint)).CreateClient();
            StartDockerd(_privateRoot);
            await Eventually.WaitAsync(PingAsync, TimeSpan.FromSeconds(60), $"dockerd on {Endpoint}");
        }
        await EnsureBusyboxImageAsync(Client);
        await EnsureBusyboxImageAsync(Client, PauseImage);
    }

    private async Task<bool> PingAsync()
    {
        try
        {
            await Client.System.PingAsync();
            return true;
        }
        catch (Exception ex) when (ex is HttpRequestException or DockerApiException or IOException or TimeoutException
                                   or System.Net.Sockets.SocketException or OperationCanceledException)
        {
            return false;
        }
    }

    private void StartDockerd(string root)
    {
        var psi = new ProcessStartInfo("dockerd", $"--host unix://{root}/docker.sock --data-root {root}/data --exec-root {root}/exec "
                                                  + $"--pidfile {root}/dockerd.pid --bridge=none --iptables=false --ip-masq=false")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        _dockerd = Process.Start(psi) ?? throw new InvalidOperationException("dockerd did not start (apt-get install docker.io)");
        _dockerd.OutputDataReceived += (_, _) => { };
        _dockerd.ErrorDataReceived += (_, _) => { };
        _dockerd.BeginOutputReadLine();
        _dockerd.BeginErrorReadLine();
    }

    /// <summary>Imports a one-layer image holding /bin/busybox, its applet links (tar for kubectl cp) and /www/index.html.</summary>
    public static async Task EnsureBusyboxImageAsync(DockerClient client, string image = BusyboxImage)
    {
        var existing = await client.Images.ListImagesAsync(new ImagesListParameters
        {
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["reference"] = new Dictionary<string, bool> { [image] = true } },
        });
        if (existing.Count > 0) return;

        using var tar = new MemoryStream();
        await using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, "bin/"));
            await writer.WriteEntryAsync("/bin/busybox", "bin/busybox");
            foreach (var applet in new[] { "sh", "httpd", "sleep", "echo", "cat", "ls", "wget", "nc", "true", "false", "env", "kill", "ps", "tar", "nslookup" })
                await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.SymbolicLink, "bin/" + applet) { LinkName = "busybox" });
            foreach (var dir in new[] { "tmp/", "www/", "etc/" })
                await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, dir));
            var index = new PaxTarEntry(TarEntryType.RegularFile, "www/index.html") { DataStream = new MemoryStream("platform busybox\n"u8.ToArray()) };
            await writer.WriteEntryAsync(index);
        }
        tar.Position = 0;
        var (repo, tag) = (image[..image.LastIndexOf(':')], image[(image.LastIndexOf(':') + 1)..]);
        await client.Images.CreateImageAsync(new ImagesCreateParameters { FromSrc = "-", Repo = repo, Tag = tag }, tar, null, new Progress<JSONMessage>());
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        if (_dockerd is { HasExited: false })
        {
            _dockerd.Kill();
            await _dockerd.WaitForExitAsync();
        }
        if (_privateRoot is not null)
        {
            // A killed dockerd leaves its network-namespace mount (exec/netns/default) and may leave overlay layers:
            // unmount everything below the folder, deepest first, so it deletes and nothing stays mounted.
            var mounts = File.ReadAllLines("/proc/self/mounts").Select(l => l.Split(' ')[1])
                .Where(m => m.StartsWith(_privateRoot + "/", StringComparison.Ordinal)).OrderByDescending(m => m.Length);
            foreach (var mount in mounts) await ProcessRunner.RunAsync("umount", $"-l {mount}", throwOnError: false);
            try { Directory.Delete(_privateRoot, recursive: true); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }
}
