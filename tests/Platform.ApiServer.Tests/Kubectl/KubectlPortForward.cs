using System.Threading.Channels;

namespace Platform.ApiServer.Tests.Kubectl;

/// <summary>A running <c>kubectl port-forward</c>: its local port, and its output once it exits (killed on dispose).</summary>
internal sealed class KubectlPortForward(System.Diagnostics.Process process, ChannelReader<string> lines, int localPort, List<string> seen) : IAsyncDisposable
{
    public int LocalPort => localPort;

    public async Task<string> UntilExitAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await foreach (var line in lines.ReadAllAsync(timeout.Token)) seen.Add(line);
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail("kubectl port-forward kept running: " + string.Join(" | ", seen));
        }
        Assert.NotEqual(0, process.ExitCode);
        return string.Join('\n', seen);
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
        process.Dispose();
    }
}
