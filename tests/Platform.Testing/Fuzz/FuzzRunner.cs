using System.Diagnostics;

namespace Platform.Testing.Fuzz;

/// <summary>
/// Sends a suite's generated requests to a live host with bounded concurrency and a deadline per request, and records
/// as failures: any 5xx, any request unanswered by its deadline or whose connection dropped, any 4xx that does not
/// explain itself, a host that no longer answers its health endpoint afterwards, and managed-heap growth past a budget.
/// </summary>
public sealed class FuzzRunner(string surface, Uri baseAddress)
{
    public int Concurrency { get; init; } = 4;
    public TimeSpan Deadline { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Whether a 4xx says what was wrong: <see cref="FuzzExplanations.Default"/> unless the surface speaks otherwise.</summary>
    public Func<FuzzResponse, bool> Explains { get; init; } = FuzzExplanations.Default;

    /// <summary>A further per-answer invariant of the surface: a failure message, or null when the answer is fine.</summary>
    public Func<FuzzRequest, FuzzResponse, string?>? Check { get; init; }

    public string HealthPath { get; init; } = "/healthz";
    public long HeapBudgetBytes { get; init; } = 256L << 20;

    /// <summary>Headers every request carries (credentials), before the generated ones.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> DefaultHeaders { get; init; } = [];

    /// <summary>Where the tally line goes besides the report file (an xUnit <c>ITestOutputHelper.WriteLine</c>).</summary>
    public Action<string>? Output { get; init; }

    /// <summary>
    /// Generates <see cref="FuzzSettings.Count"/> requests with one <see cref="Mutator"/> seeded from
    /// <see cref="FuzzSettings.Seed"/>, in index order, so the same seed always yields the same requests.
    /// </summary>
    public async Task<FuzzReport> RunAsync(FuzzSettings settings, Func<Mutator, FuzzRequest> next)
    {
        var report = new FuzzReport(surface, settings);
        var mutator = new Mutator(settings.Seed);
        var issued = 0;
        using var client = new FuzzClient(baseAddress, DefaultHeaders);
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, Concurrency).Select(_ => Task.Run(async () =>
        {
            while (true)
            {
                FuzzRequest request;
                int index;
                lock (mutator)
                {
                    if (issued == settings.Count) return;
                    index = issued++;
                    request = next(mutator);
                }
                await SendOneAsync(client, index, request, report);
            }
        }));
        await Task.WhenAll(workers);
        report.Elapsed = clock.Elapsed;
        await CheckHealthAsync(client, report);
        report.HeapGrowthBytes = GC.GetTotalMemory(forceFullCollection: true) - heapBefore;
        if (report.HeapGrowthBytes > HeapBudgetBytes)
            report.Fail($"memory: the managed heap grew {report.HeapGrowthBytes >> 20} MB, over the {HeapBudgetBytes >> 20} MB budget");
        await report.PublishAsync(Output);
        return report;
    }

    private async Task SendOneAsync(FuzzClient client, int index, FuzzRequest request, FuzzReport report)
    {
        using var deadline = new CancellationTokenSource(Deadline);
        FuzzResponse response;
        try
        {
            response = await client.SendAsync(request, deadline.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            report.Fail($"#{index} no answer within {Deadline.TotalSeconds:0} s: {request}");
            return;
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or System.Net.Sockets.SocketException)
        {
            report.Fail($"#{index} connection failed ({ex.GetBaseException().Message}): {request}");
            return;
        }
        report.Count(response.Status);
        var body = FuzzRequest.Escape(FuzzRequest.Cut(response.Body, 300));
        if (response.Status >= 500)
            report.Fail($"#{index} {response.Status} {body}: {request}");
        else if (response.Status >= 400 && request.Method != "HEAD" && !response.IsProtocolRejection && !Explains(response))
            report.Fail($"#{index} {response.Status} without an explanation ({response.ContentType}: {body}): {request}");
        else if (Check?.Invoke(request, response) is { } problem)
            report.Fail($"#{index} {problem}: {request}");
    }

    private async Task CheckHealthAsync(FuzzClient client, FuzzReport report)
    {
        try
        {
            using var deadline = new CancellationTokenSource(Deadline);
            var health = await client.SendAsync(FuzzRequest.Get(HealthPath), deadline.Token);
            if (health.Status is < 200 or >= 300) report.Fail($"health: GET {HealthPath} answered {health.Status} after the run");
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException)
        {
            report.Fail($"health: GET {HealthPath} failed after the run ({ex.GetBaseException().Message}): is the host still alive?");
        }
    }
}
