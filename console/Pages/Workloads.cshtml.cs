using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Platform.Console.Apiserver;
using Platform.Contracts.Resources;

namespace Platform.Console.Pages;

/// <summary>A workload's line: desired, ready, updated and available replicas, and how its rollout stands.</summary>
internal sealed record WorkloadRow(string Namespace, string Name, long Desired, long Ready, long Updated, long Available, string Rollout, bool Complete);

/// <summary>
/// Workloads: Deployments, StatefulSets, DaemonSets, ReplicaSets and Jobs with ready/desired and rollout progress; scale
/// and rollout restart buttons are POSTs (antiforgery) that patch the object with the user's token, as
/// <c>kubectl scale</c> and <c>kubectl rollout restart</c> do.
/// </summary>
internal sealed partial class WorkloadsModel(UserApi api, TimeProvider time) : ConsolePage(api)
{
    public const int MaxReplicas = 10_000;
    public static IReadOnlyList<ResourceKind> Kinds { get; } =
        [ResourceKinds.Deployment, ResourceKinds.StatefulSet, ResourceKinds.DaemonSet, ResourceKinds.ReplicaSet, ResourceKinds.Job];
    public static IReadOnlySet<string> Scalable { get; } = new HashSet<string> { "deployments", "statefulsets", "replicasets" };
    public static IReadOnlySet<string> Restartable { get; } = new HashSet<string> { "deployments", "statefulsets", "daemonsets" };

    public IReadOnlyList<(ResourceKind Kind, Section Section, IReadOnlyList<WorkloadRow> Rows)> Lists { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var reads = Kinds.Select(k => ListAsync(k, Namespace, ct)).ToList();
        var lists = new List<(ResourceKind, Section, IReadOnlyList<WorkloadRow>)>();
        for (var i = 0; i < Kinds.Count; i++)
        {
            var section = await reads[i];
            lists.Add((Kinds[i], section, [.. section.Items.Select(o => Row(Kinds[i], o))]));
        }
        Lists = lists;
        History = HistoryOf(lists[0].Item2.Items, lists[3].Item2.Items);
        StatusFrom(lists[0].Item2);
    }

    public async Task<IActionResult> OnPostScaleAsync(string? kind, string? target, string? name, string? replicas, CancellationToken ct)
    {
        var error = Check(kind, target, name, Scalable);
        if (error is null && !(int.TryParse(replicas, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= MaxReplicas))
            error = $"replicas: must be a whole number from 0 to {MaxReplicas}";
        if (error is not null) return BadRequest(error);
        var path = KindOf(kind!).ObjectPath(target, name!);
        Flash = await WriteAsync(c => Patch(c, path, new JsonObject { ["spec"] = new JsonObject { ["replicas"] = int.Parse(replicas!, CultureInfo.InvariantCulture) } }, ct),
            $"{kind}/{name} scaled to {replicas}");
        return RedirectToPage(new { ns = RequestedNamespace });
    }

    public async Task<IActionResult> OnPostRestartAsync(string? kind, string? target, string? name, CancellationToken ct)
    {
        if (Check(kind, target, name, Restartable) is { } error) return BadRequest(error);
        var path = KindOf(kind!).ObjectPath(target, name!);
        var at = time.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        // kubectl rollout restart's annotation: a new pod template, so the controller rolls every pod.
        var patch = new JsonObject
        {
            ["spec"] = new JsonObject
            {
                ["template"] = new JsonObject
                {
                    ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { ["kubectl.kubernetes.io/restartedAt"] = at } },
                },
            },
        };
        Flash = await WriteAsync(c => Patch(c, path, patch, ct), $"{kind}/{name} restarted at {at}");
        return RedirectToPage(new { ns = RequestedNamespace });
    }

    private static async Task Patch(Platform.ApiServer.Client.ApiClient client, string path, JsonObject patch, CancellationToken ct)
    {
        if (!await client.MergePatchAsync(path, patch, ct))
            throw new Platform.ApiServer.Client.ApiException("PATCH", path, System.Net.HttpStatusCode.NotFound, "NotFound", $"{path} does not exist");
    }

    private static string? Check(string? kind, string? target, string? name, IReadOnlySet<string> allowed) =>
        kind is null || !allowed.Contains(kind) ? $"kind: must be one of {string.Join(", ", allowed.Order(StringComparer.Ordinal))}"
        : !Names.IsValid(target) ? "target: the object's namespace, a DNS-1123 name, is required"
        : !Names.IsValid(name) ? "name: a DNS-1123 name is required"
        : null;

    private static ResourceKind KindOf(string plural) => Kinds.First(k => k.Plural == plural);

    internal static WorkloadRow Row(ResourceKind kind, JsonObject o)
    {
        var status = o["status"];
        var (desired, ready, updated, available) = kind.Plural switch
        {
            "daemonsets" => (o.Int("status", "desiredNumberScheduled"), status.Int("numberReady"), status.Int("updatedNumberScheduled"), status.Int("numberAvailable")),
            "jobs" => (o["spec"]?["completions"] is null ? 1 : o.Int("spec", "completions"), status.Int("succeeded"), status.Int("active"), status.Int("failed")),
            _ => (o["spec"]?["replicas"] is null ? 1 : o.Int("spec", "replicas"), status.Int("readyReplicas"), status.Int("updatedReplicas"), status.Int("availableReplicas")),
        };
        var observed = status.Int("observedGeneration");
        var generation = o.Int("metadata", "generation");
        var progressing = o.Objects("status", "conditions").FirstOrDefault(c => c.Str("type") == "Progressing");
        bool complete;
        string rollout;
        if (kind.Plural == "jobs")
        {
            complete = o.Objects("status", "conditions").Any(c => c.Str("type") == "Complete" && c.Str("status") == "True");
            rollout = complete ? "complete" : $"{ready}/{desired} succeeded, {updated} active";
        }
        else
        {
            complete = observed >= generation && updated >= desired && ready >= desired && (kind.Plural != "deployments" || status.Int("replicas") == desired);
            rollout = complete ? "complete"
                : progressing?.Str("reason") == "ProgressDeadlineExceeded" ? "stalled: " + progressing.Str("message")
                : $"{updated} of {desired} updated, {ready} ready";
        }
        return new WorkloadRow(o.Ns(), o.Name(), desired, ready, updated, available, rollout, complete);
    }
}
