using Microsoft.Extensions.Options;

namespace Platform.ConfigServer.Backends.Git;

/// <summary>Clones the repository during start-up, so a wrong URI or missing credentials stop the host with the repository named.</summary>
internal sealed class GitCloneOnStart(GitEnvironmentRepository repository, IOptions<GitOptions> options) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) =>
        options.Value.CloneOnStart ? repository.InitializeAsync(cancellationToken) : Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
