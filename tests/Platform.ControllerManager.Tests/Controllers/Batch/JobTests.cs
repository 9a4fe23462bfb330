using System.Text.Json.Nodes;
using Platform.Contracts.Resources;
using Platform.ControllerManager.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.Cluster;

namespace Platform.ControllerManager.Tests.Controllers.Batch;

/// <summary>Jobs end to end: the job controller, a real node agent running busybox in dockerd, the apiserver process.</summary>
[Collection(ControllerCollection.Name)]
public sealed class JobTests(ClusterFixture cluster) : IAsyncLifetime
{
    private readonly string _node = ClusterApi.NewName("node");
    private TestScope _scope = null!;

    public async Task InitializeAsync()
    {
        _scope = await TestScope.CreateAsync(cluster);
        await _scope.StartAgentAsync(_node, s => s["NodeAgent:BackOffInitial"] = "00:00:01"); // OnFailure restarts come fast
        // Back-off 1 s, 2 s, 4 s ... instead of 10 s, 20 s, 40 s.
        await _scope.StartControllersAsync(s => s["ControllerManager:JobBackoffBase"] = "00:00:01");
    }

    private string Jobs => $"/apis/batch/v1/namespaces/{_scope.Namespace}/jobs";

    /// <summary>A Job whose busybox pods (pinned to this test's node) run <paramref name="script"/>.</summary>
    private Job BusyJob(string name, string script, Func<JobSpec, JobSpec>? adjust = null, string restartPolicy = "Never")
    {
        var spec = new JobSpec
        {
            Template = new PodTemplateSpec
            {
                Spec = new PodSpec
                {
                    NodeName = _node,
                    RestartPolicy = restartPolicy,
                    TerminationGracePeriodSeconds = 1,
                    Containers = [new Container { Name = "main", Image = DockerFixture.BusyboxImage, Command = ["sh", "-c", script] }],
                },
            },
        };
        return new Job { ApiVersion = "batch/v1", Kind = "Job", Metadata = new ObjectMeta { Name = name }, Spec = adjust?.Invoke(spec) ?? spec };
    }

    private async Task<List<Pod>> PodsAsync(string job) =>
        await _scope.Admin.ListAsync<Pod>($"/api/v1/namespaces/{_scope.Namespace}/pods?labelSelector=batch.kubernetes.io%2Fjob-name%3D{job}");

    private Task<Job> WaitJobAsync(string name, string condition, int seconds = 120) =>
        Eventually.WaitAsync(async () =>
            await _scope.Admin.GetAsync<Job>($"{Jobs}/{name}") is { } j && j.Status?.Conditions?.Any(c => c.Type == condition && c.Status == "True") == true ? j : null,
            TimeSpan.FromSeconds(seconds), $"job {name} {condition}", TimeSpan.FromMilliseconds(200));

    private static bool Active(Pod p) => p.Metadata.DeletionTimestamp is null && p.Status?.Phase is not ("Succeeded" or "Failed");

    private static Condition Condition(Job job, string type) => job.Status!.Conditions!.Single(c => c.Type == type);

    [Fact]
    public async Task Job_RunsFiveCompletionsAtMostTwoAtATime_AndCompletes()
    {
        await _scope.Admin.CreateAsync(Jobs, BusyJob("five", "sleep 1", s => s with { Completions = 5, Parallelism = 2 }));
        var most = 0;
        var peak = "";
        var job = await Eventually.WaitAsync(async () =>
        {
            var seen = await PodsAsync("five");
            if (seen.Count(Active) > most)
            {
                most = seen.Count(Active);
                peak = string.Join(", ", seen.Select(p => $"{p.Metadata.Name}={p.Status?.Phase}@{p.Metadata.ResourceVersion}"));
            }
            var j = await _scope.Admin.GetAsync<Job>($"{Jobs}/five");
            return j?.Status?.Conditions?.Any(c => c.Type == "Complete" && c.Status == "True") == true ? j : null;
        }, TimeSpan.FromSeconds(150), "job five complete", TimeSpan.FromMilliseconds(150));

        Assert.True(most is > 0 and <= 2, $"{most} pods ran at once (parallelism 2): {peak}");
        Assert.Equal(5, job.Status!.Succeeded);
        Assert.Equal(0, job.Status.Active);
        Assert.NotNull(job.Status.CompletionTime);
        Assert.Equal("True", Condition(job, "SuccessCriteriaMet").Status);
        var pods = await PodsAsync("five");
        Assert.True(pods.Count == 5 && pods.All(p => p.Status?.Phase == "Succeeded"),
            $"pods: {string.Join(", ", pods.Select(p => $"{p.Metadata.Name}={p.Status?.Phase}"))}");
        Assert.All(pods, p => Assert.Equal("Job", p.Metadata.OwnerReferences!.Single().Kind));
        // The recorder writes Events in the background: the Completed one follows the status shortly.
        await Eventually.WaitAsync(async () => (await _scope.Admin.ListAsync<Event>($"/api/v1/namespaces/{_scope.Namespace}/events"))
            .Any(e => e.Reason == "Completed" && e.InvolvedObject?.Name == "five"), TimeSpan.FromSeconds(30), "the Completed event");
    }

    [Fact]
    public async Task FailingJob_StopsAtItsBackoffLimit_WithBackoffLimitExceeded_AndCreatesNoMorePods()
    {
        await _scope.Admin.CreateAsync(Jobs, BusyJob("fails", "exit 1", s => s with { BackoffLimit = 2 }));
        var job = await WaitJobAsync("fails", "Failed");

        Assert.Equal("BackoffLimitExceeded", Condition(job, "Failed").Reason);
        Assert.Equal("Job has reached the specified backoff limit", Condition(job, "Failed").Message);
        Assert.Equal(3, job.Status!.Failed);
        var pods = await PodsAsync("fails");
        Assert.Equal(3, pods.Count); // the first run and two retries
        // The re-creations waited for the back-off: 1 s after the first failure, 2 s after the second.
        var starts = pods.Select(p => p.Metadata.CreationTimestamp!.Value).Order().ToList();
        Assert.True(starts[2] - starts[0] >= TimeSpan.FromSeconds(3), $"pods created at {string.Join(", ", starts)}");
        await Task.Delay(TimeSpan.FromSeconds(5)); // a failed Job must stay failed: nothing may appear in this window
        Assert.Equal(3, (await PodsAsync("fails")).Count);
    }

    [Fact]
    public async Task OnFailureJob_ContainerRestartsCountTowardTheBackoffLimit()
    {
        await _scope.Admin.CreateAsync(Jobs, BusyJob("restarts", "exit 1", s => s with { BackoffLimit = 2 }, restartPolicy: "OnFailure"));
        var job = await WaitJobAsync("restarts", "Failed");

        Assert.Equal("BackoffLimitExceeded", Condition(job, "Failed").Reason);
        // One pod, restarted in place by the node agent, never replaced; deleted when the Job failed.
        var events = await _scope.Admin.ListAsync<Event>($"/api/v1/namespaces/{_scope.Namespace}/events");
        Assert.Single(events, e => e.Reason == "SuccessfulCreate" && e.InvolvedObject?.Name == "restarts");
        await Eventually.WaitAsync(async () => (await PodsAsync("restarts")).Count == 0, TimeSpan.FromSeconds(30), "the failed job's pod deleted");
    }

    [Fact]
    public async Task IndexedJob_EachPodSeesItsCompletionIndex_ThenTtlDeletesTheFinishedJobWithItsPods()
    {
        await _scope.Admin.CreateAsync(Jobs, BusyJob("idx", "echo index=$JOB_COMPLETION_INDEX", s => s with { CompletionMode = "Indexed", Completions = 3, Parallelism = 3, TtlSecondsAfterFinished = 4 }));
        var job = await WaitJobAsync("idx", "Complete");

        Assert.Equal("0-2", job.Status!.CompletedIndexes);
        Assert.Equal(3, job.Status.Succeeded);
        var pods = await PodsAsync("idx");
        Assert.Equal(3, pods.Count);
        foreach (var pod in pods)
        {
            var index = pod.Metadata.Annotations![Job.CompletionIndexLabel];
            Assert.Equal(index, pod.Metadata.Labels![Job.CompletionIndexLabel]);
            Assert.Equal($"idx-{index}", pod.Spec.Hostname);
            Assert.StartsWith($"idx-{index}-", pod.Metadata.Name, StringComparison.Ordinal);
            using var log = await _scope.Admin.GetAsync($"/api/v1/namespaces/{_scope.Namespace}/pods/{pod.Metadata.Name}/log");
            Assert.Equal($"index={index}", (await log.Content.ReadAsStringAsync()).Trim());
        }
        Assert.Equal(["0", "1", "2"], pods.Select(p => p.Metadata.Annotations![Job.CompletionIndexLabel]).Order());

        await Eventually.WaitAsync(async () => await _scope.Admin.GetAsync<Job>($"{Jobs}/idx") is null && (await PodsAsync("idx")).Count == 0,
            TimeSpan.FromSeconds(30), "ttlSecondsAfterFinished deleted the job and its pods");
    }

    [Fact]
    public async Task FailJobRule_Deadline_AndSuspend_EndOrPauseTheJob()
    {
        var policy = new PodFailurePolicy { Rules = [new PodFailurePolicyRule { Action = "FailJob", OnExitCodes = new() { Operator = "In", Values = [42] } }] };
        await _scope.Admin.CreateAsync(Jobs, BusyJob("exit42", "exit 42", s => s with { BackoffLimit = 6, PodFailurePolicy = policy }));
        await _scope.Admin.CreateAsync(Jobs, BusyJob("slow", "sleep 300", s => s with { ActiveDeadlineSeconds = 3 }));
        await _scope.Admin.CreateAsync(Jobs, BusyJob("pausable", "sleep 300", s => s with { Completions = 2, Parallelism = 2 }));

        var failed = await WaitJobAsync("exit42", "Failed");
        Assert.Equal("PodFailurePolicy", Condition(failed, "Failed").Reason);
        Assert.Contains("failed with exit code 42 matching FailJob rule at index 0", Condition(failed, "Failed").Message);
        Assert.Single(await PodsAsync("exit42")); // failed at once, no retry

        var late = await WaitJobAsync("slow", "Failed");
        Assert.Equal("DeadlineExceeded", Condition(late, "Failed").Reason);
        Assert.Equal("Job was active longer than specified deadline", Condition(late, "Failed").Message);
        await Eventually.WaitAsync(async () => (await PodsAsync("slow")).Count == 0, TimeSpan.FromSeconds(30), "the late job's pod deleted");

        await Eventually.WaitAsync(async () => (await PodsAsync("pausable")).Count(p => Active(p) && p.Status?.Phase == "Running") == 2,
            TimeSpan.FromSeconds(60), "two running pods");
        await ClusterApi.SendAsync(_scope.Admin, HttpMethod.Patch, $"{Jobs}/pausable", new JsonObject { ["spec"] = new JsonObject { ["suspend"] = true } });
        var suspended = await WaitJobAsync("pausable", "Suspended");
        Assert.Equal("JobSuspended", Condition(suspended, "Suspended").Reason);
        await Eventually.WaitAsync(async () => (await PodsAsync("pausable")).Count == 0
            && await _scope.Admin.GetAsync<Job>($"{Jobs}/pausable") is { Status.Active: 0 }, TimeSpan.FromSeconds(30), "suspended job's pods deleted");
        await ClusterApi.SendAsync(_scope.Admin, HttpMethod.Patch, $"{Jobs}/pausable", new JsonObject { ["spec"] = new JsonObject { ["suspend"] = false } });
        await Eventually.WaitAsync(async () => (await PodsAsync("pausable")).Count(Active) == 2, TimeSpan.FromSeconds(30), "resumed job's pods");
        // The status write follows the pods' creation: the condition turns False a moment after they appear.
        var resumed = await Eventually.WaitAsync(async () => await _scope.Admin.GetAsync<Job>($"{Jobs}/pausable") is { } j && Condition(j, "Suspended").Status == "False" ? j : null,
            TimeSpan.FromSeconds(30), "Suspended False after resuming");
        Assert.Equal("JobResumed", Condition(resumed, "Suspended").Reason);
    }

    public async Task DisposeAsync() => await _scope.DisposeAsync();
}
