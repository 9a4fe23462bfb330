using System.Text.Json.Nodes;
using Platform.Console.Apiserver;
using Platform.Contracts.Resources;

namespace Platform.Console.Pages;

/// <summary>One node's line: capacity (allocatable) and what the pods bound to it request.</summary>
internal sealed record NodeUsage(string Name, bool Ready, long CpuAllocatableMilli, long CpuRequestedMilli, decimal MemoryAllocatable, decimal MemoryRequested, int Pods);

/// <summary>
/// Overview: nodes with allocation bars (allocated = the sum of the requests of the pods bound to the node that have not
/// finished, as the scheduler counts), pods by phase, the most recent Warning events.
/// </summary>
internal sealed class IndexModel(UserApi api, TimeProvider time) : ConsolePage(api)
{
    public Section Nodes { get; private set; } = Section.Empty;
    public IReadOnlyList<NodeUsage> Usage { get; private set; } = [];
    /// <summary>Why allocation is not shown (the user may not list pods in every namespace), or null.</summary>
    public string? AllocationError { get; private set; }
    public Section Pods { get; private set; } = Section.Empty;
    public IReadOnlyList<(string Phase, int Count)> Phases { get; private set; } = [];
    public Section Events { get; private set; } = Section.Empty;
    public IReadOnlyList<JsonObject> Warnings { get; private set; } = [];
    public DateTimeOffset Now { get; } = time.GetUtcNow();

    public async Task OnGetAsync(CancellationToken ct)
    {
        var nodes = ListAsync(ResourceKinds.Node, null, ct);
        // Pods are read typed, not as a JSON tree: with 1,000 pods that tree was most of the page's time (docs/console.md, Benchmark).
        var pods = ListTypedAsync<Pod>(ResourceKinds.Pod, Namespace, ct);
        var events = ListAsync(ResourceKinds.Event, Namespace, ct);
        var allPods = Namespace is null ? pods : ListTypedAsync<Pod>(ResourceKinds.Pod, null, ct);
        Nodes = await nodes;
        var (inNamespace, podsSection) = await pods;
        Pods = podsSection;
        Events = await events;
        var (everywhere, everywhereSection) = await allPods;
        AllocationError = everywhereSection.Error;
        Usage = [.. Nodes.Items.Select(n => UsageOf(n, everywhere))];
        Phases = [.. inNamespace.GroupBy(p => p.Status?.Phase ?? "Pending").Select(g => (g.Key, g.Count())).OrderBy(p => p.Key, StringComparer.Ordinal)];
        Warnings = [.. Events.Items.Where(e => e.Str("type") == "Warning")
            .OrderByDescending(e => e.Str("lastTimestamp") ?? e.Str("eventTime") ?? e.Str("metadata", "creationTimestamp"), StringComparer.Ordinal).Take(20)];
        StatusFrom(Pods);
    }

    internal static NodeUsage UsageOf(JsonObject node, IEnumerable<Pod> pods)
    {
        var name = node.Name();
        var allocatable = node["status"]?["allocatable"] ?? node["status"]?["capacity"];
        var bound = pods.Where(p => p.Spec?.NodeName == name && p.Status?.Phase is not ("Succeeded" or "Failed")).ToList();
        decimal cpu = 0, memory = 0;
        foreach (var requests in bound.SelectMany(p => p.Spec?.Containers ?? []).Select(c => c.Resources?.Requests))
        {
            if (Quantity.TryParse(requests?.GetValueOrDefault("cpu"), out var v)) cpu += v;
            if (Quantity.TryParse(requests?.GetValueOrDefault("memory"), out var m)) memory += m;
        }
        return new NodeUsage(name, node.Condition("Ready") == "True",
            Quantity.TryParse(allocatable.Str("cpu"), out var ac) ? Quantity.ToMilli(ac) : 0, Quantity.ToMilli(cpu),
            Quantity.TryParse(allocatable.Str("memory"), out var am) ? am : 0, memory, bound.Count);
    }
}
