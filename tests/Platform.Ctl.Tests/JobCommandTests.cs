using Platform.Testing;
using Platform.Testing.ApiServer;

namespace Platform.Ctl.Tests;

/// <summary>platformctl on batch/v1: <c>create job</c> from an image or a CronJob, <c>get</c> and <c>describe</c> through the generic paths.</summary>
[Collection(CtlCollection.Name)]
public sealed class JobCommandTests(PostgresFixture pg, KafkaFixture kafka)
{
    private const string CronJob = """
        apiVersion: batch/v1
        kind: CronJob
        metadata:
          name: nightly
        spec:
          schedule: "@daily"
          timeZone: Europe/Paris
          jobTemplate:
            metadata:
              labels: {team: ops}
            spec:
              backoffLimit: 2
              template:
                spec:
                  restartPolicy: OnFailure
                  containers: [{name: c, image: busybox}]
        """;

    [Fact]
    public async Task CreateJob_FromImageAndFromCronJob_GetAndDescribeShowThem()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        var ctl = new CtlRunner(host);
        Assert.Equal(0, (await ctl.RunAsync("apply -f -", CronJob)).Exit);

        var byImage = await ctl.RunAsync("create job once --image=busybox -- sh -c true");
        Assert.Equal((0, "job.batch/once created"), (byImage.Exit, byImage.Out.Trim()));
        var byCron = await ctl.RunAsync("create job nightly-manual --from=cronjob/nightly");
        Assert.Equal((0, "job.batch/nightly-manual created"), (byCron.Exit, byCron.Out.Trim()));
        var refused = await ctl.RunAsync("create job nope --from=deployment/web");
        Assert.NotEqual(0, refused.Exit);
        Assert.Contains("from must be of form cronjob/name", refused.Err);

        var jobs = await ctl.RunAsync("get jobs");
        Assert.Matches(@"^NAME +STATUS +COMPLETIONS +DURATION +AGE\s*\n", jobs.Out);
        Assert.Matches(@"\nnightly-manual +Running +0/1 +\d+s", jobs.Out);
        Assert.Matches(@"\nonce +Running +0/1 +\d+s", jobs.Out);
        var cron = await ctl.RunAsync("get cj");
        Assert.Matches(@"^NAME +SCHEDULE +TIMEZONE +SUSPEND +ACTIVE +LAST SCHEDULE +AGE\s*\nnightly +@daily +Europe/Paris +False +0 +<none> +\d+s", cron.Out);

        var describe = await ctl.RunAsync("describe job nightly-manual");
        Assert.Equal(0, describe.Exit);
        Assert.Contains("Kind:               Job (batch/v1)", describe.Out);
        Assert.Contains("Controlled By:      CronJob/nightly", describe.Out);
        Assert.Contains("team=ops", describe.Out);
        Assert.Contains("cronjob.kubernetes.io/instantiate=manual", describe.Out);
        Assert.Contains("backoffLimit: 2", describe.Out);
        var once = System.Text.Json.Nodes.JsonNode.Parse((await ctl.RunAsync("get job once -o json")).Out)!;
        Assert.Equal(["sh", "-c", "true"], once["spec"]!["template"]!["spec"]!["containers"]![0]!["command"]!.AsArray().Select(c => (string)c!));
        Assert.Equal("Never", (string?)once["spec"]!["template"]!["spec"]!["restartPolicy"]);
    }
}
