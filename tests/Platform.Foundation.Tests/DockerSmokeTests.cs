using Docker.DotNet.Models;
using Platform.Testing;

namespace Platform.Foundation.Tests;

public sealed class DockerSmokeTests(DockerFixture docker) : IClassFixture<DockerFixture>
{
    [Fact]
    public async Task BusyboxHttpd_WithHostNetworking_AnswersOnLoopback()
    {
        var port = Platform.Testing.Network.FreeTcpPort();
        var created = await docker.Client.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Image = DockerFixture.BusyboxImage,
            Name = "smoke-" + Guid.NewGuid().ToString("N")[..8],
            Cmd = ["/bin/httpd", "-f", "-p", $"127.0.0.1:{port}", "-h", "/www"],
            HostConfig = new HostConfig { NetworkMode = "host", AutoRemove = false },
            Labels = new Dictionary<string, string> { ["io.platform.test"] = "smoke" },
        });
        try
        {
            Assert.True(await docker.Client.Containers.StartContainerAsync(created.ID, new ContainerStartParameters()));
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
            var body = await Eventually.WaitAsync(
                async () => await http.GetStringAsync($"http://127.0.0.1:{port}/index.html"), TimeSpan.FromSeconds(30), "busybox httpd answering");
            Assert.Equal("platform busybox\n", body);
        }
        finally
        {
            await docker.Client.Containers.RemoveContainerAsync(created.ID, new ContainerRemoveParameters { Force = true });
        }
    }
}
