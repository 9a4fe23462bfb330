using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Platform.Contracts.Resources;
using Platform.ControllerManager.Controllers.CronJob;
using Platform.ControllerManager.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.Cluster;

namespace Platform.ControllerManager.Tests.Controllers.Batch;

/// <summary>
/// CronJobs end to end against the apiserver process, the cronjob controller on a fake clock: minutes are advanced,
/// never waited. The Jobs it creates are suspended (no node runs them): active until the test marks them finished.
/// </summary>
[Collection(ControllerCollection.Name)]
public sealed class CronJobTests(ClusterFixture cluster) : IAsyncLifetime
{
    private TestScope _scope = null!;

    public async Task InitializeAsync() => _scope = await TestScope.CreateAsync(cluster);

    private string CronJobs => $"/apis/batch/v1/namespaces/{_scope.Namespace}/cronjobs";
    private string Jobs => $"/apis/batch/v1/namespaces/{_scope.Namespace}/jobs";

    /// <summary>The controller-manager with the cronjob controller reading <paramref name="clock"/>.</summary>
    private Task StartControllersAsync(FakeTimeProvider clock) =>
        _scope.StartControllersAsync(services: s => s.AddSingleton(sp => ActivatorUtilities.CreateInstance<CronJobController>(sp, (TimeProvider)clock)));

    private static CronJob EveryMinute(string name, string policy, int successfulHistory = 3) => new()
    {
        ApiVersion = "batch/v1",
        Kind = "CronJob",
        Metadata = new ObjectMeta { Name = name },
        Spec = new CronJobSpec
        {
            Schedule = "*/1 * * * *",
            ConcurrencyPolicy = policy,
            SuccessfulJobsHistoryLimit = successfulHistory,
            JobTemplate = new JobTemplateSpec
            {
                Metadata = new ObjectMeta { Labels = new() { ["cron"] = name } },
                Spec = new JobSpec
                {
                    Suspend = true,
                    Template = new PodTemplateSpec { Spec = new PodSpec { RestartPolicy = "Never", Containers = [new Container { Name = "c", Image = DockerFixture.BusyboxImage }] } },
                },
            },
        },
    };

    private async Task<List<Job>> JobsOfAsync(string cron) =>
        (await _scope.Admin.ListAsync<Job>($"{Jobs}?labelSelector=cron%3D{cron}")).OrderBy(j => j.Metadata.Name, StringComparer.Ordinal).ToList();

    private Task<List<Job>> WaitJobsAsync(string cron, Func<List<Job>, bool> done, string what) =>
        Eventually.WaitAsync(async () => await JobsOfAsync(cron) is var jobs && done(jobs) ? jobs : null, TimeSpan.FromSeconds(30), what, TimeSpan.FromMilliseconds(200));

    /// <summary>What a finished run looks like to the cronjob controller (as the job controller would write it).</summary>
    private Task CompleteAsync(Job job) =>
        ClusterApi.SendAsync(_scope.Admin, HttpMethod.Patch, $"{Jobs}/{job.Metadata.Name}/status", new JsonObject
        {
            ["status"] = new JsonObject
            {
                ["succeeded"] = 1,
                ["completionTime"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
                ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Complete", ["status"] = "True", ["reason"] = "CompletionsReached" }),
            },
        });

    private static string MinuteName(string cron, DateTimeOffset at) => $"{cron}-{at.ToUnixTimeSeconds() / 60}";

    private static DateTimeOffset Minute(DateTimeOffset t) => new(t.Year, t.Month, t.Day, t.Hour, t.Minute, 0, TimeSpan.Zero);

    /// <summary>
    /// A clock one second past the minute after next: the CronJobs, created now on the apiserver's clock, owe exactly
    /// one run (that minute) when their controller first looks, and one more each time a minute is advanced.
    /// </summary>
    private static FakeTimeProvider NewClock() => new(Minute(DateTimeOffset.UtcNow).AddMinutes(2).AddSeconds(1));

    [Fact]
    public async Task EveryMinute_CreatesAJobPerMinute_ForbidSkipsWhileActive_ReplaceReplaces_AndHistoryIsPruned()
    {
        var clock = NewClock();
        await StartControllersAsync(clock);
        await _scope.Admin.CreateAsync(CronJobs, EveryMinute("allow", "Allow", successfulHistory: 2));
        await _scope.Admin.CreateAsync(CronJobs, EveryMinute("forbid", "Forbid"));
        await _scope.Admin.CreateAsync(CronJobs, EveryMinute("replace", "Replace"));

        var first = Minute(clock.GetUtcNow());
        foreach (var cron in new[] { "allow", "forbid", "replace" })
        {
            var jobs = await WaitJobsAsync(cron, j => j.Count == 1, $"the first run of {cron}");
            Assert.Equal(MinuteName(cron, first), jobs[0].Metadata.Name);
            Assert.Equal("CronJob", jobs[0].Metadata.OwnerReferences!.Single().Kind);
        }
        await Eventually.WaitAsync(async () => await _scope.Admin.GetAsync<CronJob>($"{CronJobs}/allow") is { Status.Active.Count: 1 } cj && cj.Status.LastScheduleTime == first,
            TimeSpan.FromSeconds(30), "allow's status: one active, last schedule time");

        clock.Advance(TimeSpan.FromMinutes(1));
        var second = Minute(clock.GetUtcNow());
        await WaitJobsAsync("allow", j => j.Count == 2, "allow runs again while its first run is active");
        var replaced = await WaitJobsAsync("replace", j => j.Count == 1 && j[0].Metadata.Name == MinuteName("replace", second), "replace's second run replaced the first");
        await Eventually.WaitAsync(async () => (await _scope.Admin.ListAsync<Event>($"/api/v1/namespaces/{_scope.Namespace}/events"))
            .Any(e => e.Reason == "JobAlreadyActive" && e.InvolvedObject?.Name == "forbid"), TimeSpan.FromSeconds(30), "forbid's skipped run reported");
        Assert.Equal([MinuteName("forbid", first)], (await JobsOfAsync("forbid")).Select(j => j.Metadata.Name));

        // Finished runs. Forbid delays the skipped minute, as Kubernetes does without startingDeadlineSeconds: it runs
        // as soon as the previous run is done. Allow keeps its two newest successful runs.
        await CompleteAsync((await JobsOfAsync("forbid"))[0]);
        foreach (var job in await JobsOfAsync("allow")) await CompleteAsync(job);
        await WaitJobsAsync("forbid", j => j.Any(x => x.Metadata.Name == MinuteName("forbid", second)), "forbid runs the skipped minute once the previous run finished");
        await Eventually.WaitAsync(async () => await _scope.Admin.GetAsync<CronJob>($"{CronJobs}/forbid") is { Status: { Active.Count: 1, LastSuccessfulTime: not null } } cj
            && cj.Status.LastScheduleTime == second, TimeSpan.FromSeconds(30), "forbid saw its first run complete and started the second");
        clock.Advance(TimeSpan.FromMinutes(1));
        var third = Minute(clock.GetUtcNow());
        var allow = await WaitJobsAsync("allow", j => j.Any(x => x.Metadata.Name == MinuteName("allow", third)), "allow's third run");
        await CompleteAsync(allow.Single(j => j.Metadata.Name == MinuteName("allow", third)));
        var kept = await WaitJobsAsync("allow", j => j.Count == 2, "allow's history pruned to 2 successful runs");
        Assert.Equal([MinuteName("allow", second), MinuteName("allow", third)], kept.Select(j => j.Metadata.Name));
        var replacedAgain = await WaitJobsAsync("replace", j => j.Count == 1 && j[0].Metadata.Name == MinuteName("replace", third), "replace's third run replaced the second");
        Assert.NotEqual(replaced[0].Metadata.Uid, replacedAgain[0].Metadata.Uid);
    }

    [Fact]
    public async Task AfterARestartWithManyMissedMinutes_OnlyTheMostRecentRunIsCreated_AndTooManyMissedTimesIsReported()
    {
        var clock = NewClock();
        await StartControllersAsync(clock);
        await _scope.Admin.CreateAsync(CronJobs, EveryMinute("missed", "Allow"));
        await WaitJobsAsync("missed", j => j.Count == 1, "the first run");
        await Eventually.WaitAsync(async () => await _scope.Admin.GetAsync<CronJob>($"{CronJobs}/missed") is { Status.LastScheduleTime: not null },
            TimeSpan.FromSeconds(30), "last schedule time written");

        await _scope.StopControllersAsync();
        var later = new FakeTimeProvider(clock.GetUtcNow().AddMinutes(150)); // 150 runs missed while down
        await StartControllersAsync(later);

        var latest = Minute(later.GetUtcNow());
        var jobs = await WaitJobsAsync("missed", j => j.Count >= 2, "one run after the restart");
        await Eventually.WaitAsync(async () => await _scope.Admin.GetAsync<CronJob>($"{CronJobs}/missed") is { Status.LastScheduleTime: { } t } && t == latest,
            TimeSpan.FromSeconds(30), "last schedule time is the most recent missed minute");
        jobs = await JobsOfAsync("missed");
        Assert.Equal(2, jobs.Count);
        Assert.Contains(jobs, j => j.Metadata.Name == MinuteName("missed", latest));
        var events = await _scope.Admin.ListAsync<Event>($"/api/v1/namespaces/{_scope.Namespace}/events");
        Assert.Contains(events, e => e.Reason == "TooManyMissedTimes" && e.Type == "Warning" && e.Message!.StartsWith("too many missed start times: 150.", StringComparison.Ordinal));
    }

    public async Task DisposeAsync() => await _scope.DisposeAsync();
}
