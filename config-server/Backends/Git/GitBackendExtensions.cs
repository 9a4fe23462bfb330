using Microsoft.Extensions.Options;
using Platform.ConfigServer.Refresh;

namespace Platform.ConfigServer.Backends.Git;

internal static class GitBackendExtensions
{
    /// <summary>Registers the git backend when <c>ConfigServer:Git:Uri</c> is set; returns how many backends it added.</summary>
    public static int AddGitBackend(this WebApplicationBuilder builder)
    {
        if (string.IsNullOrWhiteSpace(builder.Configuration[GitOptions.Section + ":Uri"])) return 0;
        builder.Services.AddOptions<GitOptions>().BindConfiguration(GitOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<GitOptions>, GitOptionsValidator>();
        builder.Services.AddSingleton<GitEnvironmentRepository>();
        builder.Services.AddSingleton<IEnvironmentRepository>(sp => sp.GetRequiredService<GitEnvironmentRepository>());
        builder.Services.AddSingleton<IRefreshableRepository>(sp => sp.GetRequiredService<GitEnvironmentRepository>());
        builder.Services.AddHostedService<GitCloneOnStart>();
        builder.Services.AddHealthChecks().AddCheck<GitHealthCheck>("config-git", tags: ["ready"]);
        return 1;
    }
}
