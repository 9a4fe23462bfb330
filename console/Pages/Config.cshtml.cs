using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Platform.Console.Apiserver;
using Platform.Console.Config;
using Platform.Contracts.Resources;

namespace Platform.Console.Pages;

/// <summary>An application the config page lists, and where its name came from (configured, or the labelled ConfigMaps).</summary>
internal sealed record ConfigAppRow(string Name, IReadOnlyList<string> From);

/// <summary>
/// Config: the config server's applications, an application's property sources for <c>?profile=</c> and
/// <c>?label=</c> (secrets masked, <c>{cipher}</c> values shown as <c>encrypted</c>), and a bus refresh per application.
/// The config server is read with the platform's credentials, so the page is shown only to a user the apiserver allows
/// <c>list configmaps</c> in every namespace, and Refresh needs <c>update configmaps</c> in every namespace.
/// </summary>
internal sealed partial class ConfigModel(UserApi api, ConfigServerClient config, IOptions<ConsoleOptions> options, ILoggerFactory loggers) : ConsolePage(api)
{
    public const string ApplicationLabel = "config.platform.io/application";

    private readonly ILogger _audit = loggers.CreateLogger("Platform.Console.Audit");

    [BindProperty(SupportsGet = true, Name = "app")]
    public string? App { get; set; }

    [BindProperty(SupportsGet = true, Name = "profile")]
    public string? Profile { get; set; }

    [BindProperty(SupportsGet = true, Name = "label")]
    public string? Label { get; set; }

    public string Profiles => string.IsNullOrWhiteSpace(Profile) ? "default" : Profile.Trim();
    public string? Error { get; private set; }
    public string? ApplicationsError { get; private set; }
    public IReadOnlyList<ConfigAppRow> Applications { get; private set; } = [];
    public ConfigEnvironment? Environment { get; private set; }
    public string? EnvironmentError { get; private set; }
    public bool MayRefresh { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        if (await RefusalAsync(ct) is { } refusal)
        {
            Error = refusal.Message;
            Response.StatusCode = refusal.Status;
            return;
        }
        if (ArgumentError() is { } bad)
        {
            Error = bad;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        var apps = ApplicationsAsync(ct);
        MayRefresh = await AccessReview.AllowsAsync(Api.Client, "update", "", "configmaps", null, ct);
        Applications = await apps;
        if (string.IsNullOrEmpty(App)) return;
        try
        {
            Environment = await config.ReadAsync(App, Profiles, string.IsNullOrWhiteSpace(Label) ? null : Label.Trim(), ct);
        }
        catch (ConfigServerException ex)
        {
            EnvironmentError = ex.Message;
            Response.StatusCode = ex.Status is >= 400 and < 500 ? ex.Status : StatusCodes.Status502BadGateway;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            EnvironmentError = "the config server cannot be read: " + ex.Message;
            Response.StatusCode = StatusCodes.Status502BadGateway;
        }
    }

    /// <summary>
    /// Bus refresh of one application (<c>{app}:**</c>). The call goes to the config server, not the apiserver, so the
    /// apiserver's audit log has only the user's access review; the console logs who refreshed what (category
    /// <c>Platform.Console.Audit</c>, event 2601/2602).
    /// </summary>
    public async Task<IActionResult> OnPostRefreshAsync(string? app, CancellationToken ct)
    {
        if (!config.Configured) return BadRequest("Console:ConfigServerUrl: no config server is configured");
        if (!ConfigNames.IsApplication(app)) return BadRequest("app: must be an application name (letters, digits, '-', '_', '.')");
        if (!await AccessReview.AllowsAsync(Api.Client, "update", "", "configmaps", null, ct))
        {
            LogRefused(_audit, Api.UserName, app!);
            Flash = $"refused: User \"{Api.UserName}\" may not refresh configuration: it needs update on configmaps in every namespace.";
        }
        else
        {
            try
            {
                await config.RefreshAsync(app!, ct);
                LogRefreshed(_audit, Api.UserName, app!, "sent");
                Flash = $"refresh sent to {app}:** on the config bus";
            }
            catch (Exception ex) when (ex is ConfigServerException or HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                LogRefreshed(_audit, Api.UserName, app!, "failed: " + ex.Message);
                Flash = "refresh failed: " + ex.Message;
            }
        }
        return RedirectToPage(new { app, profile = Profile, label = Label });
    }

    private async Task<(string Message, int Status)?> RefusalAsync(CancellationToken ct)
    {
        if (!config.Configured)
            return ("No config server is configured: set Console:ConfigServerUrl (./platform up sets it to the config server on :8888).", StatusCodes.Status200OK);
        if (!await AccessReview.AllowsAsync(Api.Client, "list", "", "configmaps", null, ct))
            return ($"User \"{Api.UserName}\" may not see the configuration: it needs list on configmaps in every namespace.", StatusCodes.Status403Forbidden);
        return null;
    }

    private string? ArgumentError()
    {
        if (!string.IsNullOrEmpty(App) && !ConfigNames.IsApplication(App)) return "app: must be an application name (letters, digits, '-', '_', '.')";
        if (!ConfigNames.IsProfiles(Profiles)) return "profile: must be profile names separated by commas (letters, digits, '-', '_', '.')";
        if (!string.IsNullOrWhiteSpace(Label) && !ConfigNames.IsLabel(Label.Trim())) return "label: must be a branch, tag or commit ('/' written as '(_)')";
        return null;
    }

    /// <summary>The configured names and those of ConfigMaps labelled <c>config.platform.io/application</c>, read as the user.</summary>
    private async Task<IReadOnlyList<ConfigAppRow>> ApplicationsAsync(CancellationToken ct)
    {
        var from = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        void Add(string name, string where) { if (!from.TryGetValue(name, out var l)) from[name] = l = []; l.Add(where); }
        foreach (var name in options.Value.ConfigApplications) Add(name, "Console:ConfigApplications");
        var labelled = await ListAsync(ResourceKinds.ConfigMap, null, ct, "?labelSelector=" + Uri.EscapeDataString(ApplicationLabel));
        ApplicationsError = labelled.Error;
        foreach (var cm in labelled.Items)
            if (cm.Str("metadata", "labels", ApplicationLabel) is { } name && ConfigNames.IsApplication(name)) Add(name, $"configmap {cm.Ns()}/{cm.Name()}");
        return [.. from.Select(kv => new ConfigAppRow(kv.Key, kv.Value))];
    }

    [LoggerMessage(EventId = 2601, Level = LogLevel.Information, Message = "user {User} refreshed configuration of {Application}:** on the bus: {Outcome}")]
    private static partial void LogRefreshed(ILogger logger, string user, string application, string outcome);

    [LoggerMessage(EventId = 2602, Level = LogLevel.Warning, Message = "user {User} was refused a configuration refresh of {Application}: no update on configmaps in every namespace")]
    private static partial void LogRefused(ILogger logger, string user, string application);
}
