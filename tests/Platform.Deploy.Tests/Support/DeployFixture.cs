using System.Diagnostics;
using Platform.Testing;
using Xunit;

namespace Platform.Deploy.Tests.Support;

/// <summary>
/// A Docker Engine (<see cref="DockerFixture"/>: the run's private one from DOCKER_HOST) with every image built once by
/// <c>./platform images</c>, as a user runs it. No engine, or a failed build, fails every test of the collection: these
/// tests are never skipped.
/// </summary>
public sealed class DeployFixture : IAsyncLifetime
{
    /// <summary>
    /// Well inside the run's per-project session timeout (25 min, deploy/local/test.sh): a build that overruns fails the
    /// tests with what it printed, instead of the whole project being aborted with no word of where it stood. Quiet, the
    /// build takes 3-5 min here.
    /// </summary>
    private static readonly TimeSpan ImagesTimeout = TimeSpan.FromMinutes(16);

    public DockerFixture Docker { get; } = new();

    /// <summary>What <c>./platform images</c> printed, and how long it took.</summary>
    internal CliResult Images { get; private set; } = new(-1, "", "not run");

    public TimeSpan ImagesDuration { get; private set; }

    /// <summary>The environment for docker, docker-compose and the repository's scripts: the fixture's engine.</summary>
    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>
    {
        ["DOCKER_HOST"] = Docker.Endpoint,
        ["DOCKER_BUILDKIT"] = "0", // the classic builder: no buildx here
    };

    public async Task InitializeAsync()
    {
        await Docker.InitializeAsync();
        var watch = Stopwatch.StartNew();
        Images = await Cli.RunAsync(Path.Combine(Repository.Root, "platform"), ["images"], Repository.Root, Environment, ImagesTimeout);
        ImagesDuration = watch.Elapsed;
    }

    public Task DisposeAsync() => Docker.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class DeployCollection : ICollectionFixture<DeployFixture>
{
    public const string Name = "deploy";
}
