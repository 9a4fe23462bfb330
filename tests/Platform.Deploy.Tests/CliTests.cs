using Platform.Deploy.Tests.Support;

namespace Platform.Deploy.Tests;

/// <summary>The command runner the deploy tests use: a command that exits while something it started keeps its output open.</summary>
public sealed class CliTests
{
    [Fact]
    public async Task ACommandWhoseBackgroundChildHoldsItsOutput_FailsNamingThatChild()
    {
        var result = await Cli.RunAsync("bash", ["-c", "sleep 20 & echo started"], Path.GetTempPath(), new Dictionary<string, string>(), TimeSpan.FromSeconds(3));
        Assert.Equal(-1, result.ExitCode);
        Assert.Contains("started", result.Output, StringComparison.Ordinal);
        Assert.Contains("exited 0, but its output stayed open for 3s (a background process holds it: ", result.Error, StringComparison.Ordinal);
        Assert.Contains(" sleep 20", result.Error, StringComparison.Ordinal);
    }
}
