using System.Net;
using System.Net.Sockets;
using Platform.Contracts.Resources;

namespace Platform.Testing.Cluster;

/// <summary>Backends that say who answered, for tests of Service proxying: busybox httpd on port 80 serving its pod's name.</summary>
public static class ServiceBackendPods
{
    /// <summary>A pod on <paramref name="node"/> whose <c>/index.html</c> is its own name, Ready once httpd answers.</summary>
    public static Pod NamedHttpd(string name, string node, Dictionary<string, string> labels) => new()
    {
        ApiVersion = "v1", Kind = "Pod", Metadata = new ObjectMeta { Name = name, Labels = labels },
        Spec = new PodSpec
        {
            NodeName = node, TerminationGracePeriodSeconds = 1,
            Containers =
            [
                new Container
                {
                    Name = "web", Image = DockerFixture.BusyboxImage,
                    Command = ["sh", "-c", $"mkdir -p /tmp/www && echo {name} > /tmp/www/index.html && exec httpd -f -h /tmp/www -p 80"],
                    Ports = [new ContainerPort { Name = "http", Port = 80 }],
                    ReadinessProbe = new Probe { HttpGet = new HttpGetAction { Path = "/index.html", Port = 80 }, PeriodSeconds = 1 },
                },
            ],
        },
    };

    /// <summary>GET /index.html over a fresh connection: the body (a pod's name), or null when the connection closes without an answer.</summary>
    public static async Task<string?> GetAsync(IPAddress address, int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await socket.ConnectAsync(address, port, timeout.Token);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            return null;
        }
        return await RequestOnAsync(socket);
    }

    /// <summary>GET /index.html on a connected socket: the body, or null when the connection closes or is reset without an answer.</summary>
    public static async Task<string?> RequestOnAsync(Socket socket)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await using var stream = new NetworkStream(socket);
            await stream.WriteAsync("GET /index.html HTTP/1.0\r\n\r\n"u8.ToArray(), timeout.Token);
            var text = await new StreamReader(stream).ReadToEndAsync(timeout.Token);
            var body = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            return body < 0 ? null : text[(body + 4)..].Trim();
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException)
        {
            return null;
        }
    }
}
