using System.Diagnostics;
using System.Text.Json;
using Microsoft.Playwright;

namespace Platform.Console.Tests.Support;

/// <summary>One serious or critical accessibility violation axe-core found: rule, impact, help text and a few of the elements.</summary>
public sealed record AxeViolation(string Id, string Impact, string Help, IReadOnlyList<string> Nodes)
{
    public override string ToString() => $"{Id} ({Impact}): {Help} at {string.Join(" | ", Nodes)}";
}

/// <summary>
/// axe-core from npm, installed by the first test that needs it into a test-tool folder of its own under the temp
/// directory (kept between runs), and run in a Playwright page.
/// </summary>
public static class AxeCore
{
    public const string Version = "4.14.1";
    private static readonly SemaphoreSlim Gate = new(1, 1);

    /// <summary>The path of <c>axe.min.js</c>, after <c>npm install axe-core@Version</c> into the tool folder if it is not there yet.</summary>
    public static async Task<string> ScriptAsync()
    {
        var dir = Path.Combine(Path.GetTempPath(), "platform-console-test-tools", "axe-core-" + Version);
        var script = Path.Combine(dir, "node_modules", "axe-core", "axe.min.js");
        await Gate.WaitAsync();
        try
        {
            if (File.Exists(script)) return script;
            Directory.CreateDirectory(dir);
            var npm = new ProcessStartInfo("npm", ["install", "--no-audit", "--no-fund", "--no-save", "--prefix", dir, $"axe-core@{Version}"])
            {
                RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = dir,
            };
            using var process = Process.Start(npm)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            await process.WaitForExitAsync(timeout.Token);
            Assert.True(process.ExitCode == 0 && File.Exists(script), $"npm install axe-core@{Version} failed ({process.ExitCode}): {await output}{await error}");
            return script;
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>Injects axe-core into <paramref name="page"/> (whose context bypasses the page's CSP) and returns the serious and critical violations.</summary>
    public static async Task<IReadOnlyList<AxeViolation>> SeriousViolationsAsync(IPage page)
    {
        await page.AddScriptTagAsync(new() { Path = await ScriptAsync() });
        var json = await page.EvaluateAsync<string>("""
            async () => {
              const r = await axe.run(document, { resultTypes: ['violations'] });
              return JSON.stringify(r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
                .map(v => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ')) })));
            }
            """);
        return JsonSerializer.Deserialize<List<AxeViolation>>(json, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
    }
}
