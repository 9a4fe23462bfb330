using System.Text.Json.Nodes;
using Platform.Ctl.Output;
using Platform.Manifests.Printing;

namespace Platform.Ctl.Tests.Output;

/// <summary>The READY, STATUS and RESTARTS cells of <c>get pods</c>, case by case as kubectl prints them.</summary>
public sealed class PodColumnsTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-11-24T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    private const string Running = """{"running":{"startedAt":"2026-11-24T11:00:00Z"}}""";
    private const string Creating = """{"waiting":{"reason":"ContainerCreating"}}""";
    private const string PodInit = """{"waiting":{"reason":"PodInitializing"}}""";
    private const string Done = """{"terminated":{"exitCode":0,"reason":"Completed"}}""";
    private const string Initialized = """[{"type":"Initialized","status":"True"},{"type":"Ready","status":"True"}]""";
    private const string NotInitialized = """[{"type":"Initialized","status":"False","reason":"ContainersNotInitialized"}]""";

    public static TheoryData<string, string, string, string, string> Cases => new()
    {
        // name, pod JSON, READY, STATUS, RESTARTS
        { "pending, nothing reported yet", Pod(1, 0, "Pending", "[]", null, null), "0/1", "Pending", "0" },
        { "running and ready", Pod(1, 0, "Running", Initialized, null, [Status(Running, ready: true)]), "1/1", "Running", "0" },
        { "one of two ready", Pod(2, 0, "Running", "[]", null, [Status(Running, ready: true), Status(Running, ready: false)]), "1/2", "Running", "0" },
        { "image missing", Pod(1, 0, "Pending", "[]", null, [Status("""{"waiting":{"reason":"ErrImagePull","message":"pull failed"}}""")]), "0/1", "ErrImagePull", "0" },
        { "image pull back-off", Pod(1, 0, "Pending", "[]", null, [Status("""{"waiting":{"reason":"ImagePullBackOff"}}""")]), "0/1", "ImagePullBackOff", "0" },
        { "being created", Pod(1, 0, "Pending", "[]", null, [Status(Creating)]), "0/1", "ContainerCreating", "0" },
        {
            "crash loop, restarts with age", Pod(1, 0, "Running", "[]", null,
                [Status("""{"waiting":{"reason":"CrashLoopBackOff"}}""", restarts: 4, lastFinished: "2026-11-24T11:59:30Z")]),
            "0/1", "CrashLoopBackOff", "4 (30s ago)"
        },
        { "completed job pod", Pod(1, 0, "Succeeded", "[]", null, [Status(Done)]), "0/1", "Completed", "0" },
        { "error exit", Pod(1, 0, "Failed", "[]", null, [Status("""{"terminated":{"exitCode":2,"reason":"Error"}}""")]), "0/1", "Error", "0" },
        { "oom killed", Pod(1, 0, "Running", "[]", null, [Status("""{"terminated":{"exitCode":137,"reason":"OOMKilled"}}""")]), "0/1", "OOMKilled", "0" },
        { "terminated without reason", Pod(1, 0, "Failed", "[]", null, [Status("""{"terminated":{"exitCode":3}}""")]), "0/1", "ExitCode:3", "0" },
        { "completed beside a running one", Pod(2, 0, "Running", Initialized, null, [Status(Done), Status(Running, ready: true)]), "1/2", "Running", "0" },
        { "first of two init containers", Pod(1, 2, "Pending", NotInitialized, [Status(Running), Status(PodInit)], [Status(PodInit)]), "0/1", "Init:0/2", "0" },
        { "second of two init containers", Pod(1, 2, "Pending", NotInitialized, [Status(Done), Status(Running)], [Status(PodInit)]), "0/1", "Init:1/2", "0" },
        {
            "init container in crash loop", Pod(1, 1, "Pending", NotInitialized,
                [Status("""{"waiting":{"reason":"CrashLoopBackOff"}}""", restarts: 3, lastFinished: "2026-11-24T11:58:00Z")], [Status(PodInit)]),
            "0/1", "Init:CrashLoopBackOff", "3 (2m ago)"
        },
        { "init container failed", Pod(1, 1, "Failed", NotInitialized, [Status("""{"terminated":{"exitCode":7,"reason":"Error"}}""")], [Status(PodInit)]), "0/1", "Init:Error", "0" },
        { "init container image missing", Pod(1, 1, "Pending", NotInitialized, [Status("""{"waiting":{"reason":"ErrImagePull"}}""")], [Status(PodInit)]), "0/1", "Init:ErrImagePull", "0" },
        { "initialized, app not started yet", Pod(1, 1, "Pending", Initialized, [Status(Done, restarts: 2)], [Status(PodInit)]), "0/1", "PodInitializing", "0" },
        { "deleted while running", Pod(1, 0, "Running", Initialized, null, [Status(Running, ready: true)], deleted: true), "1/1", "Terminating", "0" },
        { "deleted after it failed", Pod(1, 0, "Failed", "[]", null, [Status("""{"terminated":{"exitCode":1,"reason":"Error"}}""")], deleted: true), "0/1", "Error", "0" },
        { "evicted (status reason)", Pod(1, 0, "Failed", "[]", null, null, reason: "Evicted"), "0/1", "Evicted", "0" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Columns_MatchKubectl(string name, string pod, string ready, string status, string restarts)
    {
        var cells = PodColumns.Of((JsonObject)JsonNode.Parse(pod)!, Now);
        Assert.True((ready, status, restarts) == cells, $"{name}: expected {ready} {status} {restarts}, got {cells}");
    }

    private static string Status(string state, bool ready = false, int restarts = 0, string? lastFinished = null)
    {
        var last = lastFinished is null ? "" : ",\"lastState\":{\"terminated\":{\"exitCode\":1,\"finishedAt\":\"" + lastFinished + "\"}}";
        return "{\"name\":\"c\",\"ready\":" + (ready ? "true" : "false") + ",\"restartCount\":" + restarts + ",\"state\":" + state + last + "}";
    }

    private static string Pod(int containers, int inits, string phase, string conditions, string[]? initStatuses, string[]? statuses, bool deleted = false, string? reason = null)
    {
        var spec = "{\"containers\":[" + string.Join(",", Enumerable.Repeat("{\"name\":\"c\",\"image\":\"i\"}", containers)) + "]"
            + (inits > 0 ? ",\"initContainers\":[" + string.Join(",", Enumerable.Repeat("{\"name\":\"i\",\"image\":\"i\"}", inits)) + "]" : "") + "}";
        var status = "{\"phase\":\"" + phase + "\",\"conditions\":" + conditions
            + (reason is null ? "" : ",\"reason\":\"" + reason + "\"")
            + (initStatuses is null ? "" : ",\"initContainerStatuses\":[" + string.Join(",", initStatuses) + "]")
            + (statuses is null ? "" : ",\"containerStatuses\":[" + string.Join(",", statuses) + "]") + "}";
        var meta = deleted ? "{\"name\":\"p\",\"deletionTimestamp\":\"2026-11-24T11:59:00Z\"}" : "{\"name\":\"p\"}";
        return "{\"metadata\":" + meta + ",\"spec\":" + spec + ",\"status\":" + status + "}";
    }
}
