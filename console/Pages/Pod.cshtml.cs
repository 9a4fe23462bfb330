using System.Net;
using System.Text.Json.Nodes;
using Platform.ApiServer.Client;
using Platform.Console.Apiserver;
using Platform.Contracts.Resources;

namespace Platform.Console.Pages;

/// <summary>One pod: its containers with state and restarts, its events, and a container's log followed live.</summary>
internal sealed class PodModel(UserApi api, TimeProvider time) : ConsolePage(api)
{
    public string PodNamespace { get; private set; } = "";
    public string PodName { get; private set; } = "";
    public JsonObject? Pod { get; private set; }
    public PodRow? Summary { get; private set; }
    public string? Error { get; private set; }
    public Section Events { get; private set; } = Section.Empty;
    public IReadOnlyList<JsonObject> PodEvents { get; private set; } = [];
    public DateTimeOffset Now { get; } = time.GetUtcNow();

    public async Task OnGetAsync(string podNs, string podName, CancellationToken ct)
    {
        PodNamespace = podNs;
        PodName = podName;
        if (!Names.IsValid(podNs) || !Names.IsValid(podName))
        {
            Error = $"{(Names.IsValid(podNs) ? "pod" : "namespace")}: must be a DNS-1123 name";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        try
        {
            Pod = (await Api.Client.SendAsync(HttpMethod.Get, ResourceKinds.Pod.ObjectPath(podNs, podName), null, ct)).Object;
            Summary = PodsModel.Row(Pod, Now);
        }
        catch (ApiException ex)
        {
            Error = ex.Detail;
            Response.StatusCode = (int?)ex.StatusCode ?? (int)HttpStatusCode.BadGateway;
            return;
        }
        Events = await ListAsync(ResourceKinds.Event, podNs, ct);
        PodEvents = [.. Events.Items.Where(e => e.Str("involvedObject", "kind") == "Pod" && e.Str("involvedObject", "name") == podName)
            .OrderBy(e => e.Str("lastTimestamp") ?? e.Str("metadata", "creationTimestamp"), StringComparer.Ordinal)];
    }
}
