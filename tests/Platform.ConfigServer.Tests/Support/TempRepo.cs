namespace Platform.ConfigServer.Tests.Support;

/// <summary>A temporary folder of property files, deleted at the end of the test.</summary>
internal sealed class TempRepo : IDisposable
{
    public TempRepo()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "cfgrepo-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>The repository the environment tests read: application and orders files in YAML and properties, a label folder, plain-text files.</summary>
    public static TempRepo Sample() => new TempRepo()
        .With("application.yml", "greeting: hello from application\nshared:\n  timeout: 30\n  retries: 3\n")
        .With("application-dev.yml", "shared:\n  timeout: 5\n")
        .With("orders.yml", "greeting: hello from orders\norders:\n  page-size: 20\n  enabled: true\n  ratio: 0.5\n  tags: [a, b]\n")
        .With("orders-dev.properties", "orders.page-size=50\norders.url=http://${orders.host:localhost}:${orders.port}/api\norders.port=8080\n")
        .With("orders-prod.yml", "orders:\n  page-size: 500\n  region: eu\n")
        .With("release/1.0/orders.yml", "orders:\n  page-size: 10\n")
        .With("nginx.conf", "server { listen ${orders.port}; }\n")
        .With("nginx-prod.conf", "prod { size ${orders.page-size}; }\n");

    public TempRepo With(string relativePath, string content)
    {
        var full = System.IO.Path.Combine(Path, relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        return this;
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
