using System.Text.Json;
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

    /// <summary>
    /// The list is read into typed pods, not a JSON tree: with 1,000 pods, materialising each pod's objects in a
    /// <see cref="JsonObject"/> (its dictionary built on first access) was two thirds of the page's time
    /// (<c>./platform bench console</c>, docs/console.md).
    /// </summary>
    public async Task OnGetAsync(CancellationToken ct)
    {
        var (pods, section) = await ListTypedAsync<Pod>(ResourceKinds.Pod, Namespace, ct);
        Pods = section;
        var now = time.GetUtcNow();
        Rows = [.. pods.Where(p => string.IsNullOrEmpty(Phase) || p.Status?.Phase == Phase)
            .OrderBy(p => p.Metadata.Namespace, StringComparer.Ordinal).ThenBy(p => p.Metadata.Name, StringComparer.Ordinal).Select(p => Row(p, now))];
        StatusFrom(Pods);
    }

    internal static PodRow Row(JsonObject p, DateTimeOffset now) => Row(p.Deserialize<Pod>(ResourceJson.Options)!, now);

    internal static PodRow Row(Pod p, DateTimeOffset now)
    {
        var statuses = p.Status?.ContainerStatuses ?? [];
        var status = p.Metadata.DeletionTimestamp is not null ? "Terminating"
            : statuses.Select(s => s.State?.Waiting?.Reason ?? s.State?.Terminated?.Reason).FirstOrDefault(r => r is not null)
              ?? p.Status?.Reason ?? p.Status?.Phase ?? "Pending";
        return new PodRow(p.Metadata.Namespace ?? "", p.Metadata.Name ?? "", $"{statuses.Count(s => s.Ready)}/{p.Spec?.Containers?.Count ?? 0}", status,
            statuses.Sum(s => (long)s.RestartCount), p.Spec?.NodeName ?? "", p.Status?.PodIP ?? "", JsonRead.Age(p.Metadata.CreationTimestamp, now));
    }
}
