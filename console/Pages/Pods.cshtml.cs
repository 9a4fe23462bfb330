using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Platform.Console.Apiserver;
using Platform.Contracts.Resources;

namespace Platform.Console.Pages;

/// <summary>A pod's line: kubectl's READY, STATUS, RESTARTS, NODE and IP.</summary>
internal sealed record PodRow(string Namespace, string Name, string Ready, string Status, long Restarts, string Node, string Ip, string Age);

/// <summary>
/// Pods: status, restarts, node, IP; <c>?phase=</c> narrows the list (the apiserver filters, by field selector), and
/// <c>?page=</c> shows one page of <c>Console:PodsPerPage</c> rows in namespace/name order.
/// </summary>
internal sealed class PodsModel(UserApi api, TimeProvider time, IOptions<ConsoleOptions> options) : ConsolePage(api)
{
    public Section Pods { get; private set; } = Section.Empty;
    public IReadOnlyList<PodRow> Rows { get; private set; } = [];

    [Microsoft.AspNetCore.Mvc.BindProperty(SupportsGet = true)]
    public string? Phase { get; set; }

    /// <summary>
    /// <c>?page=</c> as given, validated in <see cref="OnGetAsync"/> so a wrong one gets a 400 that names it. Read from
    /// the query itself: model binding would take Razor Pages' own <c>page</c> route value (the page's path) first.
    /// </summary>
    private string? RequestedPage => Request.Query.TryGetValue("page", out var v) ? v.ToString() : null;

    /// <summary>The page shown (1-based), how many pages there are and how many pods in all.</summary>
    public int PageNumber { get; private set; } = 1;
    public int PageCount { get; private set; } = 1;
    public int Total { get; private set; }
    public int FirstRow => Total == 0 ? 0 : (PageNumber - 1) * options.Value.PodsPerPage + 1;

    /// <summary>The URL of page <paramref name="page"/> with this page's other filters kept (so it can be shared).</summary>
    public string PageUrl(int page)
    {
        var query = new List<string>();
        if (!string.IsNullOrEmpty(RequestedNamespace)) query.Add("ns=" + Uri.EscapeDataString(RequestedNamespace));
        if (!string.IsNullOrEmpty(Phase)) query.Add("phase=" + Uri.EscapeDataString(Phase));
        if (page > 1) query.Add("page=" + page.ToString(CultureInfo.InvariantCulture));
        return "/pods" + (query.Count == 0 ? "" : "?" + string.Join('&', query));
    }

    /// <summary>
    /// The list is read into typed pods, not a JSON tree: with 1,000 pods, materialising each pod's objects in a
    /// <see cref="JsonObject"/> (its dictionary built on first access) was two thirds of the page's time
    /// (<c>./platform bench console</c>, docs/console.md).
    /// </summary>
    public async Task OnGetAsync(CancellationToken ct)
    {
        var page = 1;
        if (RequestedPage is not null && (!int.TryParse(RequestedPage, NumberStyles.None, CultureInfo.InvariantCulture, out page) || page < 1))
        {
            Pods = new Section([], $"page: '{RequestedPage}' is not a page number (a whole number from 1)", HttpStatusCode.BadRequest);
            StatusFrom(Pods);
            return;
        }
        PageNumber = page;
        var query = string.IsNullOrEmpty(Phase) ? null : "?fieldSelector=" + Uri.EscapeDataString("status.phase=" + Phase);
        var (pods, section) = await ListTypedAsync<Pod>(ResourceKinds.Pod, Namespace, ct, query);
        Pods = section;
        var size = options.Value.PodsPerPage;
        Total = pods.Count;
        PageCount = Math.Max(1, (Total + size - 1) / size);
        // The apiserver lists in namespace/name order already; only this page's rows are built and rendered.
        var now = time.GetUtcNow();
        Rows = [.. pods.OrderBy(p => p.Metadata.Namespace, StringComparer.Ordinal).ThenBy(p => p.Metadata.Name, StringComparer.Ordinal)
            .Skip((PageNumber - 1) * size).Take(size).Select(p => Row(p, now))];
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
