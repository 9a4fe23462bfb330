using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Platform.NodeAgent.Tests.Images;

/// <summary>
/// The pull side of the Docker Registry HTTP API v2 on 127.0.0.1, serving one single-layer busybox image, so a real
/// dockerd performs a real pull (dockerd trusts 127.0.0.0/8 registries over plain HTTP). The layer is sent in small
/// timed chunks, so the pull lasts long enough for its progress to be seen.
/// </summary>
public sealed class LoopbackRegistry : IAsyncDisposable
{
    private const string ManifestType = "application/vnd.docker.distribution.manifest.v2+json";
    private readonly WebApplication _app;
    private readonly Dictionary<string, byte[]> _blobs = [];
    private readonly byte[] _manifest;
    private readonly string _manifestDigest;
    private readonly string _layerDigest;
    private readonly TimeSpan _layerDuration;
    private int _layerRequests;

    private LoopbackRegistry(WebApplication app, byte[] config, byte[] layer, TimeSpan layerDuration)
    {
        _app = app;
        _layerDuration = layerDuration;
        var configDigest = Digest(config);
        _layerDigest = Digest(layer);
        _blobs[configDigest] = config;
        _blobs[_layerDigest] = layer;
        _manifest = JsonSerializer.SerializeToUtf8Bytes(new
        {
            schemaVersion = 2,
            mediaType = ManifestType,
            config = new { mediaType = "application/vnd.docker.container.image.v1+json", size = config.Length, digest = configDigest },
            layers = new[] { new { mediaType = "application/vnd.docker.image.rootfs.diff.tar.gzip", size = layer.Length, digest = _layerDigest } },
        });
        _manifestDigest = Digest(_manifest);
    }

    /// <summary><c>127.0.0.1:port</c>, the registry part of an image reference.</summary>
    public string Host { get; private set; } = "";

    /// <summary>How many times the layer was downloaded.</summary>
    public int LayerDownloads => Volatile.Read(ref _layerRequests);

    public static async Task<LoopbackRegistry> StartAsync(TimeSpan layerDuration)
    {
        var (config, layer) = await BuildImageAsync();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var registry = new LoopbackRegistry(app, config, layer, layerDuration);
        app.MapGet("/v2/", (HttpContext ctx) =>
        {
            ctx.Response.Headers["Docker-Distribution-API-Version"] = "registry/2.0";
            return Results.Json(new { });
        });
        app.MapMethods("/v2/{**path}", ["GET", "HEAD"], registry.ServeAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        registry.Host = new Uri(address).Authority;
        return registry;
    }

    private async Task ServeAsync(HttpContext ctx, string path)
    {
        ctx.Response.Headers["Docker-Distribution-API-Version"] = "registry/2.0";
        var manifests = path.LastIndexOf("/manifests/", StringComparison.Ordinal);
        var blobs = path.LastIndexOf("/blobs/", StringComparison.Ordinal);
        if (manifests > 0)
        {
            ctx.Response.ContentType = ManifestType;
            ctx.Response.Headers["Docker-Content-Digest"] = _manifestDigest;
            await WriteAsync(ctx, _manifest, TimeSpan.Zero);
        }
        else if (blobs > 0 && _blobs.TryGetValue(path[(blobs + "/blobs/".Length)..], out var blob))
        {
            ctx.Response.ContentType = "application/octet-stream";
            ctx.Response.Headers["Docker-Content-Digest"] = path[(blobs + "/blobs/".Length)..];
            var isLayer = path.EndsWith(_layerDigest, StringComparison.Ordinal);
            if (isLayer && HttpMethods.IsGet(ctx.Request.Method)) Interlocked.Increment(ref _layerRequests);
            await WriteAsync(ctx, blob, isLayer ? _layerDuration : TimeSpan.Zero);
        }
        else
        {
            ctx.Response.StatusCode = 404;
            await ctx.Response.WriteAsJsonAsync(new { errors = new[] { new { code = "NAME_UNKNOWN", message = path } } });
        }
    }

    private static async Task WriteAsync(HttpContext ctx, byte[] body, TimeSpan duration)
    {
        ctx.Response.ContentLength = body.Length;
        if (HttpMethods.IsHead(ctx.Request.Method)) return;
        const int Chunks = 20;
        var chunk = duration == TimeSpan.Zero ? body.Length : (body.Length + Chunks - 1) / Chunks;
        for (var offset = 0; offset < body.Length; offset += chunk)
        {
            await ctx.Response.Body.WriteAsync(body.AsMemory(offset, Math.Min(chunk, body.Length - offset)), ctx.RequestAborted);
            await ctx.Response.Body.FlushAsync(ctx.RequestAborted);
            if (duration > TimeSpan.Zero) await Task.Delay(duration / Chunks, ctx.RequestAborted);
        }
    }

    /// <summary>The image config and the gzip layer: busybox with the applets the tests use and a page for httpd.</summary>
    private static async Task<(byte[] Config, byte[] Layer)> BuildImageAsync()
    {
        using var tar = new MemoryStream();
        await using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, "bin/"));
            await writer.WriteEntryAsync("/bin/busybox", "bin/busybox");
            foreach (var applet in new[] { "sh", "httpd", "sleep", "echo" })
                await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.SymbolicLink, "bin/" + applet) { LinkName = "busybox" });
            await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, "www/"));
            await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, "www/index.html") { DataStream = new MemoryStream("pulled busybox\n"u8.ToArray()) });
        }
        var diffId = Digest(tar.ToArray());
        using var gz = new MemoryStream();
        await using (var gzip = new GZipStream(gz, CompressionLevel.Optimal, leaveOpen: true))
            await gzip.WriteAsync(tar.ToArray());
        var config = JsonSerializer.SerializeToUtf8Bytes(new
        {
            architecture = "amd64",
            os = "linux",
            config = new { Cmd = new[] { "sh" } },
            rootfs = new { type = "layers", diff_ids = new[] { diffId } },
        });
        return (config, gz.ToArray());
    }

    private static string Digest(byte[] bytes) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
