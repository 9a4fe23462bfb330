using Platform.Console.Apiserver;
using Platform.Console.Registry;

namespace Platform.Console.Pages;

/// <summary>
/// Registry: discovery's applications and instances with status and lease age. Discovery is read with the platform's
/// credentials, so the page first asks the apiserver, with the user's token, whether the user may <c>list
/// endpointslices</c> in every namespace (the registry is every namespace's endpoints); only then is it shown.
/// </summary>
internal sealed class RegistryModel(UserApi api, RegistryReader registry, TimeProvider time, Microsoft.Extensions.Options.IOptions<ConsoleOptions> options) : ConsolePage(api)
{
    /// <summary>The page fetches itself again this often, and at once when an EndpointSlice changes (the controller-manager registers Services' endpoints).</summary>
    public int RefreshSeconds => options.Value.RegistryRefreshSeconds;

    public string? Error { get; private set; }
    public IReadOnlyList<IGrouping<string, RegistryInstance>> Apps { get; private set; } = [];
    public DateTimeOffset Now { get; } = time.GetUtcNow();

    public async Task OnGetAsync(CancellationToken ct)
    {
        if (!registry.Configured)
        {
            Error = "No registry is configured: set Console:EurekaUrl (./platform up sets it to discovery on :8761).";
            return;
        }
        if (!await MayListEndpointSlicesAsync(ct))
        {
            Error = $"User \"{Api.UserName}\" may not see the registry: it needs list on endpointslices.discovery.k8s.io in every namespace.";
            Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }
        try
        {
            Apps = [.. (await registry.ReadAsync(ct)).GroupBy(i => i.App)];
        }
        catch (HttpRequestException ex)
        {
            Error = "discovery cannot be read: " + ex.Message;
            Response.StatusCode = StatusCodes.Status502BadGateway;
        }
    }

    private Task<bool> MayListEndpointSlicesAsync(CancellationToken ct) =>
        AccessReview.AllowsAsync(Api.Client, "list", "discovery.k8s.io", "endpointslices", null, ct);
}
