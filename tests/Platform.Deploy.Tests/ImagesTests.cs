using Platform.Deploy.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace Platform.Deploy.Tests;

/// <summary><c>./platform images</c> on an engine that cannot pull: every service image, as the Dockerfile describes it.</summary>
[Collection(DeployCollection.Name)]
public sealed class ImagesTests(DeployFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task PlatformImages_BuildsEveryServiceImage_NonRootWithHealthCheckAndLabels()
    {
        Assert.True(fixture.Images.ExitCode == 0, fixture.Images.Describe("./platform images"));
        output.WriteLine($"./platform images took {fixture.ImagesDuration.TotalSeconds:0}s\n{fixture.Images.Output}");
        var revision = (await Cli.RunAsync("git", ["rev-parse", "HEAD"], Repository.Root, fixture.Environment, TimeSpan.FromSeconds(30))).Output.Trim();

        foreach (var name in Repository.ImageNames)
        {
            var image = await fixture.Docker.Client.Images.InspectImageAsync($"platform/{name}:latest");
            // The table row: IMAGE TAG SIZE SECONDS.
            Assert.Matches($@"(?m)^platform/{name}\s+\S+\s+\d+MB\s+\d+\s*$", fixture.Images.Output);
            Assert.Equal("1654", image.Config.User);
            Assert.Equal(["CMD", "/usr/local/bin/healthcheck"], image.Config.Healthcheck.Test);
            Assert.Equal(revision, image.Config.Labels["org.opencontainers.image.revision"]);
            Assert.False(string.IsNullOrEmpty(image.Config.Labels["org.opencontainers.image.version"]));
            Assert.False(string.IsNullOrEmpty(image.Config.Labels["org.opencontainers.image.source"]));
            Assert.Contains(image.Config.Env, e => e == $"ASSEMBLY={Assembly(name)}");
        }
    }

    [Fact]
    public async Task PlatformImages_SecondRun_ReusesTheCachedRootfs()
    {
        Assert.True(fixture.Images.ExitCode == 0, fixture.Images.Describe("./platform images"));
        var again = await Cli.RunAsync(Path.Combine(Repository.Root, "platform"), ["images", "--only", "discovery"],
            Repository.Root, fixture.Environment, TimeSpan.FromMinutes(10));

        Assert.True(again.ExitCode == 0, again.Describe("./platform images --only discovery"));
        Assert.Contains("rootfs runtime: cached", again.Error, StringComparison.Ordinal);
        Assert.Contains("platform/debian:bookworm: up to date", again.Error, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^platform/discovery\s", again.Output);
        Assert.DoesNotMatch(@"(?m)^platform/gateway\s", again.Output);
    }

    [Fact]
    public async Task PlatformImages_UnknownOnlyName_FailsNamingTheKnownImages()
    {
        var result = await Cli.RunAsync(Path.Combine(Repository.Root, "platform"), ["images", "--only", "nope"],
            Repository.Root, fixture.Environment, TimeSpan.FromMinutes(1));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("no image 'nope'", result.Error, StringComparison.Ordinal);
        Assert.Contains("gateway", result.Error, StringComparison.Ordinal);
    }

    private static string Assembly(string name)
    {
        var conf = Directory.GetFiles(Path.Combine(Repository.Root, "deploy/local/components"), "*.conf")
            .FirstOrDefault(f => File.ReadLines(f).Contains($"NAME={name}"));
        var project = conf is null
            ? "services/dev-broker/Platform.DevBroker.csproj"
            : File.ReadLines(conf).First(l => l.StartsWith("PROJECT=", StringComparison.Ordinal))["PROJECT=".Length..];
        var assemblyName = System.Xml.Linq.XDocument.Load(Path.Combine(Repository.Root, project)).Descendants("AssemblyName").FirstOrDefault()?.Value;
        return assemblyName ?? Path.GetFileNameWithoutExtension(project);
    }
}
