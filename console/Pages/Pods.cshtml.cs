using System.Text.Json.Nodes;
using Platform.Console.Apiserver;
using Platform.Contracts.Resources;

namespace Platform.Console.Pages;

/// <summary>A pod's line: kubectl's READY, STATUS, RESTARTS, NODE and IP.</summary>
internal sealed record PodRow(string Namespace, string Name, string Ready, string Status, long Restarts, string Node, string Ip, string Age);

/// <summary>Pods: status, restarts, node, IP; <c>?phase=</c> narrows the list.</summary>
internal sealed class PodsModel(UserApi api, TimeProvider time) : ConsolePage(api)
{
    public Section Pods { get; private set; } = Section.Empty;
    public IReadOnlyList<PodRow> Rows { get; private set; } = [];

    [Microsoft.AspNetCore.Mvc.BindProperty(SupportsGet = true)]
    public string? Phase { get; set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Pods = await ListAsync(ResourceKinds.Pod, Namespace, ct);
        var now = time.GetUtcNow();
        Rows = [.. Pods.Items.Where(p => string.IsNullOrEmpty(Phase) || p.Str("status", "phase") == Phase)
            .OrderBy(p => p.Ns(), StringComparer.Ordinal).ThenBy(p => p.Name(), StringComparer.Ordinal).Select(p => Row(p, now))];
        StatusFrom(Pods);
    }

    internal static PodRow Row(JsonObject p, DateTimeOffset now)
    {
        var statuses = p.Objects("status", "containerStatuses").ToList();
        var containers = p.Objects("spec", "containers").Count();
        var ready = statuses.Count(s => s["ready"] is JsonValue v && v.TryGetValue<bool>(out var b) && b);
        var status = p["metadata"]?["deletionTimestamp"] is not null ? "Terminating"
            : statuses.Select(s => s.Str("state", "waiting", "reason") ?? s.Str("state", "terminated", "reason")).FirstOrDefault(r => r is not null)
              ?? p.Str("status", "reason") ?? p.Str("status", "phase") ?? "Pending";
        return new PodRow(p.Ns(), p.Name(), $"{ready}/{containers}", status, statuses.Sum(s => s.Int("restartCount")),
            p.Str("spec", "nodeName") ?? "", p.Str("status", "podIP") ?? "", p.Age(now, "metadata", "creationTimestamp"));
    }
}
