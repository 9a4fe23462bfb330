using Platform.Console.Apiserver;

namespace Platform.Console.Pages;

/// <summary>
/// The live stream page: <c>/live/events</c> over Server-Sent Events, narrowed on the server by <c>?ns=</c> and
/// <c>?kind=</c> and in the page by a text filter; all three live in the query string, so a filtered view can be shared.
/// </summary>
internal sealed class EventsModel(UserApi api) : ConsolePage(api)
{
    [Microsoft.AspNetCore.Mvc.BindProperty(SupportsGet = true)]
    public string? Kind { get; set; }

    [Microsoft.AspNetCore.Mvc.BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    public string StreamUrl => "/live/events?ns=" + Uri.EscapeDataString(Namespace ?? "") + "&kind=" + Uri.EscapeDataString(Kind ?? "");

    public void OnGet()
    {
    }
}
