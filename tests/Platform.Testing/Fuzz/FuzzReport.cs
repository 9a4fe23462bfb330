using System.Globalization;
using System.Text;
using Xunit;

namespace Platform.Testing.Fuzz;

/// <summary>A suite's outcome: requests sent, answers by status code, and every failure with the request that caused it.</summary>
public sealed class FuzzReport(string surface, FuzzSettings settings)
{
    private readonly SortedDictionary<int, int> _statuses = [];
    private readonly List<string> _failures = [];

    public string Surface { get; } = surface;
    public FuzzSettings Settings { get; } = settings;
    public TimeSpan Elapsed { get; internal set; }
    public long HeapGrowthBytes { get; internal set; }

    public IReadOnlyDictionary<int, int> Statuses { get { lock (_statuses) return new Dictionary<int, int>(_statuses); } }
    public IReadOnlyList<string> Failures { get { lock (_failures) return [.. _failures]; } }
    public int Answered { get { lock (_statuses) return _statuses.Values.Sum(); } }

    internal void Count(int status)
    {
        lock (_statuses) _statuses[status] = _statuses.GetValueOrDefault(status) + 1;
    }

    internal void Fail(string failure)
    {
        lock (_failures) _failures.Add(failure);
    }

    /// <summary><c>fuzz: discovery-xml 800 requests, seed 4242: 200×312 400×401 404×87, 0 failures (9.1 s, heap +12 MB)</c></summary>
    public string Line()
    {
        var tally = string.Join(' ', Statuses.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Key}×{s.Value}")));
        return string.Create(CultureInfo.InvariantCulture,
            $"fuzz: {Surface} {Settings.Count} requests, seed {Settings.Seed}: {tally}, {Failures.Count} failures ({Elapsed.TotalSeconds:0.0} s, heap {HeapGrowthBytes / (1 << 20):+0;-0} MB)");
    }

    /// <summary>
    /// Writes <see cref="Line"/> to the test output and, when <c>PLATFORM_FUZZ_REPORT</c> names a file, appends it there
    /// (test projects run in parallel, so the append retries while another process holds the file).
    /// </summary>
    public async Task PublishAsync(Action<string>? output)
    {
        var line = Line();
        output?.Invoke(line);
        foreach (var f in Failures.Take(50)) output?.Invoke("  " + f);
        if (Environment.GetEnvironmentVariable(FuzzSettings.ReportVariable) is not { Length: > 0 } path) return;
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await using var file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.None);
                await file.WriteAsync(Encoding.UTF8.GetBytes(line + "\n"));
                return;
            }
            catch (IOException) when (attempt < 50)
            {
                await Task.Delay(20);
            }
        }
    }

    /// <summary>Fails the test with the first failures (each with its request) unless there were none.</summary>
    public void AssertClean()
    {
        var failures = Failures;
        Assert.True(failures.Count == 0, $"{Line()}\n" + string.Join("\n", failures.Take(25)));
        Assert.Equal(Settings.Count, Answered);
    }
}
