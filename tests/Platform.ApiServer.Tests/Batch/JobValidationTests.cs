using Platform.ApiServer.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.ApiServer;

namespace Platform.ApiServer.Tests.Batch;

/// <summary>Job and CronJob specs Kubernetes refuses, refused here with its field paths and wording; defaults as Kubernetes sets them.</summary>
[Collection(ApiServerCollection.Name)]
public sealed class JobValidationTests(PostgresFixture pg, KafkaFixture kafka)
{
    private const string Pod = "template:\n    spec:\n      restartPolicy: {0}\n      containers: [{{name: c, image: busybox}}]";

    private static readonly (string Spec, string Error)[] RefusedJobs =
    [
        (string.Format(Pod, "Always"), "spec.template.spec.restartPolicy: Unsupported value: \"Always\": supported values: \"OnFailure\", \"Never\""),
        ("completions: -1\n  " + string.Format(Pod, "Never"), "spec.completions: Invalid value: -1: must be greater than or equal to 0"),
        ("parallelism: -2\n  " + string.Format(Pod, "Never"), "spec.parallelism: Invalid value: -2: must be greater than or equal to 0"),
        ("backoffLimit: -1\n  " + string.Format(Pod, "Never"), "spec.backoffLimit: Invalid value: -1: must be greater than or equal to 0"),
        ("completionMode: Sometimes\n  " + string.Format(Pod, "Never"), "spec.completionMode: Unsupported value: \"Sometimes\": supported values: \"NonIndexed\", \"Indexed\""),
        ("completionMode: Indexed\n  parallelism: 2\n  " + string.Format(Pod, "Never"), "spec.completions: Required value: when completion mode is Indexed"),
        ("activeDeadlineSeconds: 0\n  " + string.Format(Pod, "Never"), "spec.activeDeadlineSeconds: Invalid value: 0: must be greater than 0"),
        ("podFailurePolicy: {rules: [{action: FailJob, onExitCodes: {operator: Between, values: [42]}}]}\n  " + string.Format(Pod, "Never"),
            "spec.podFailurePolicy.rules[0].onExitCodes.operator: Unsupported value: \"Between\": supported values: \"In\", \"NotIn\""),
        ("podFailurePolicy: {rules: [{action: FailJob, onExitCodes: {operator: In, values: [42]}}]}\n  " + string.Format(Pod, "OnFailure"),
            "spec.template.spec.restartPolicy: Invalid value: \"OnFailure\": only \"Never\" is supported when podFailurePolicy is specified"),
        ("selector: {matchLabels: {app: mine}}\n  " + string.Format(Pod, "Never").Replace("spec:\n", "metadata: {labels: {app: mine}}\n    spec:\n", StringComparison.Ordinal),
            "spec.selector: Invalid value: \"app=mine\": `selector` not auto-generated"),
    ];

    private static readonly (string Spec, string Error)[] RefusedCronJobs =
    [
        ("schedule: \"* * *\"", "spec.schedule: Invalid value: \"* * *\": expected exactly 5 fields, found 3: [* * *]"),
        ("schedule: \"@fortnightly\"", "spec.schedule: Invalid value: \"@fortnightly\": unrecognized descriptor: @fortnightly"),
        ("schedule: \"*/0 * * * *\"", "spec.schedule: Invalid value: \"*/0 * * * *\": step of range should be a positive number: */0"),
        ("schedule: \"CRON_TZ=UTC 0 * * * *\"", "spec.schedule: Invalid value: \"CRON_TZ=UTC 0 * * * *\": cannot use TZ or CRON_TZ in schedule, use timeZone field instead"),
        ("schedule: \"@hourly\"\n  timeZone: Not/AZone", "spec.timeZone: Invalid value: \"Not/AZone\": unknown time zone Not/AZone"),
        ("schedule: \"@hourly\"\n  concurrencyPolicy: Sometimes", "spec.concurrencyPolicy: Unsupported value: \"Sometimes\": supported values: \"Allow\", \"Forbid\", \"Replace\""),
        ("schedule: \"@hourly\"\n  successfulJobsHistoryLimit: -1", "spec.successfulJobsHistoryLimit: Invalid value: -1: must be greater than or equal to 0"),
        ("schedule: \"@hourly\"\n  startingDeadlineSeconds: -5", "spec.startingDeadlineSeconds: Invalid value: -5: must be greater than or equal to 0"),
    ];

    private static string CronJob(string spec, string restart = "OnFailure") =>
        $"apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: bad\nspec:\n  {spec}\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: {restart}\n          containers: [{{name: c, image: busybox}}]\n";

    [Fact]
    public async Task InvalidJobsAndCronJobs_Get422NamingTheField_ValidOnesAreDefaulted()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var http = host.AdminClient();
        var ns = await http.CreateNamespaceAsync();
        var jobs = $"/apis/batch/v1/namespaces/{ns}/jobs";
        var cronJobs = $"/apis/batch/v1/namespaces/{ns}/cronjobs";
        foreach (var (spec, error) in RefusedJobs)
        {
            var problem = await http.PostAsync(jobs, Http.Yaml($"apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: bad\nspec:\n  {spec}\n")).ExpectAsync(422);
            Assert.True(((string?)problem["detail"])?.Contains(error, StringComparison.Ordinal) == true, $"{spec}: expected {error}, got {problem["detail"]}");
        }
        foreach (var (spec, error) in RefusedCronJobs)
        {
            var problem = await http.PostAsync(cronJobs, Http.Yaml(CronJob(spec))).ExpectAsync(422);
            Assert.True(((string?)problem["detail"])?.Contains(error, StringComparison.Ordinal) == true, $"{spec}: expected {error}, got {problem["detail"]}");
        }
        var alwaysInTemplate = await http.PostAsync(cronJobs, Http.Yaml(CronJob("schedule: \"@daily\"", "Always"))).ExpectAsync(422);
        Assert.Contains("spec.jobTemplate.spec.template.spec.restartPolicy: Unsupported value: \"Always\"", (string?)alwaysInTemplate["detail"]);

        var zoned = await http.PostAsync(cronJobs, Http.Yaml(CronJob("schedule: \"30 6 * * mon-fri\"\n  timeZone: Europe/Paris").Replace("name: bad", "name: zoned", StringComparison.Ordinal))).ExpectAsync(201);
        Assert.Equal("Allow", (string?)zoned["spec"]!["concurrencyPolicy"]);
        Assert.Equal(3, (int)zoned["spec"]!["successfulJobsHistoryLimit"]!);
        Assert.Equal(1, (int)zoned["spec"]!["failedJobsHistoryLimit"]!);
        Assert.False((bool)zoned["spec"]!["suspend"]!);

        var workQueue = await http.PostAsync(jobs, Http.Yaml($"apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: queue\nspec:\n  parallelism: 3\n  {string.Format(Pod, "Never")}\n")).ExpectAsync(201);
        Assert.Null(workQueue["spec"]!["completions"]); // parallelism alone: a work queue, as Kubernetes leaves it
        Assert.Equal(6, (int)workQueue["spec"]!["backoffLimit"]!);
        var uid = (string)workQueue["metadata"]!["uid"]!;
        Assert.Equal(uid, (string?)workQueue["spec"]!["selector"]!["matchLabels"]!["batch.kubernetes.io/controller-uid"]);
        Assert.Equal("queue", (string?)workQueue["spec"]!["template"]!["metadata"]!["labels"]!["batch.kubernetes.io/job-name"]);
        // The generated selector may not change.
        var changed = await http.PatchAsync($"{jobs}/queue", """{"spec":{"selector":{"matchLabels":{"batch.kubernetes.io/controller-uid":"other"}}}}""").ExpectAsync(422);
        Assert.Contains("spec.selector", (string?)changed["detail"]);
    }
}
