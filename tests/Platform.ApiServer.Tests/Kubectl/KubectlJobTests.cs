using Platform.ApiServer.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.ApiServer;

namespace Platform.ApiServer.Tests.Kubectl;

/// <summary>kubectl on Jobs and CronJobs (batch/v1): <c>create job|cronjob</c>, <c>--from=cronjob/</c>, the columns, defaults and refusals.</summary>
[Collection(ApiServerCollection.Name)]
public sealed class KubectlJobTests(PostgresFixture pg, KafkaFixture kafka)
{
    private const string BadCronJob = """
        apiVersion: batch/v1
        kind: CronJob
        metadata:
          name: bad
        spec:
          schedule: "61 * * * *"
          timeZone: Mars/Olympus_Mons
          concurrencyPolicy: Sometimes
          jobTemplate:
            spec:
              template:
                spec:
                  containers: [{name: c, image: busybox}]
        """;

    private const string AlwaysJob = """
        apiVersion: batch/v1
        kind: Job
        metadata:
          name: always
        spec:
          template:
            spec:
              restartPolicy: Always
              containers: [{name: c, image: busybox}]
        """;

    [Fact]
    public async Task CreateJobAndCronJob_GetPrintsKubectlColumns_DefaultsAndGeneratedSelector_AndBadSpecsAre422()
    {
        using var kubectl = new KubectlSession();
        await using var host = await ApiServerHost.StartAsync(pg, kafka, builderHook: kubectl.UseHttps);
        var ns = "job-" + Guid.NewGuid().ToString("N")[..8];
        kubectl.WriteKubeconfig(host.BaseAddress, host.AdminToken, ns);
        await kubectl.OkAsync(null, "create", "namespace", ns);

        Assert.Equal("job.batch/pi created\n", await kubectl.OkAsync(null, "create", "job", "pi", "--image=busybox", "--", "true"));
        var rows = (await kubectl.OkAsync(null, "get", "jobs")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^NAME\s+STATUS\s+COMPLETIONS\s+DURATION\s+AGE$", rows[0]);
        Assert.Matches(@"^pi\s+Running\s+0/1\s+\S+$", rows[1]);
        var wide = (await kubectl.OkAsync(null, "get", "job", "pi", "-o", "wide")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^NAME\s+STATUS\s+COMPLETIONS\s+DURATION\s+AGE\s+CONTAINERS\s+IMAGES\s+SELECTOR$", wide[0]);
        Assert.Matches(@"^pi\s+Running\s+0/1\s+\S+\s+pi\s+busybox\s+batch\.kubernetes\.io/controller-uid=[0-9a-f-]{36}$", wide[1]);
        // Kubernetes' defaults and the job strategy's generated selector and pod labels.
        var uid = await kubectl.OkAsync(null, "get", "job", "pi", "-o", "jsonpath={.metadata.uid}");
        Assert.Equal($"1 1 6 NonIndexed false {uid} {uid} pi pi", await kubectl.OkAsync(null, "get", "job", "pi", "-o",
            "jsonpath={.spec.completions} {.spec.parallelism} {.spec.backoffLimit} {.spec.completionMode} {.spec.suspend} " +
            "{.spec.selector.matchLabels.batch\\.kubernetes\\.io/controller-uid} {.spec.template.metadata.labels.controller-uid} " +
            "{.spec.template.metadata.labels.batch\\.kubernetes\\.io/job-name} {.spec.template.metadata.labels.job-name}"));

        Assert.Equal("cronjob.batch/tick created\n", await kubectl.OkAsync(null, "create", "cronjob", "tick", "--image=busybox", "--schedule=*/1 * * * *", "--", "date"));
        var cron = (await kubectl.OkAsync(null, "get", "cj")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^NAME\s+SCHEDULE\s+TIMEZONE\s+SUSPEND\s+ACTIVE\s+LAST SCHEDULE\s+AGE$", cron[0]);
        Assert.Matches(@"^tick\s+\*/1 \* \* \* \*\s+<none>\s+False\s+0\s+<none>\s+\S+$", cron[1]);
        Assert.Equal("Allow 3 1 false", await kubectl.OkAsync(null, "get", "cronjob", "tick", "-o",
            "jsonpath={.spec.concurrencyPolicy} {.spec.successfulJobsHistoryLimit} {.spec.failedJobsHistoryLimit} {.spec.suspend}"));
        // kubectl's manual run: a Job from the CronJob's template, owned by it.
        Assert.Equal("job.batch/manual created\n", await kubectl.OkAsync(null, "create", "job", "manual", "--from=cronjob/tick"));
        Assert.Equal("CronJob tick", await kubectl.OkAsync(null, "get", "job", "manual", "-o", "jsonpath={.metadata.ownerReferences[0].kind} {.metadata.ownerReferences[0].name}"));

        var badCron = await kubectl.RunAsync(BadCronJob, "apply", "-f", "-");
        Assert.NotEqual(0, badCron.ExitCode);
        Assert.Contains("The CronJob \"bad\" is invalid", badCron.Stderr);
        Assert.Contains("spec.schedule", badCron.Stderr);
        Assert.Contains("end of range (61) above maximum (59): 61", badCron.Stderr);
        Assert.Contains("spec.timeZone", badCron.Stderr);
        Assert.Contains("unknown time zone Mars/Olympus_Mons", badCron.Stderr);
        Assert.Contains("spec.concurrencyPolicy", badCron.Stderr);

        var always = await kubectl.RunAsync(AlwaysJob, "apply", "-f", "-");
        Assert.NotEqual(0, always.ExitCode);
        Assert.Contains("The Job \"always\" is invalid", always.Stderr);
        Assert.Contains("spec.template.spec.restartPolicy", always.Stderr);
        Assert.Contains("supported values: \"OnFailure\", \"Never\"", always.Stderr);
    }
}
