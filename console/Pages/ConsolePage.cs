using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Platform.ApiServer.Client;
using Platform.Console.Apiserver;
using Platform.Contracts.Resources;

namespace Platform.Console.Pages;

/// <summary>
/// What a list read gave: its items, or the apiserver's refusal (its status and message, shown as they are, so a user
/// who may not list pods in a namespace reads the apiserver's Forbidden message where the table would be).
/// </summary>
internal sealed record Section(IReadOnlyList<JsonObject> Items, string? Error = null, HttpStatusCode? Status = null)
{
    public static Section Empty { get; } = new([]);
    public bool Failed => Error is not null;
}

/// <summary>A page that reads the cluster as the signed-in user, in the namespace of <c>?ns=</c>.</summary>
internal abstract class ConsolePage(UserApi api) : PageModel
{
    private const string ServiceAccountPrefix = "system:serviceaccount:";

    protected UserApi Api => api;

    /// <summary><c>?ns=</c>; empty: a ServiceAccount's own namespace, every namespace for anyone else.</summary>
    [BindProperty(SupportsGet = true, Name = "ns")]
    public string? RequestedNamespace { get; set; }

    /// <summary>The namespace the page lists, or null for all.</summary>
    public string? Namespace => !string.IsNullOrWhiteSpace(RequestedNamespace) ? RequestedNamespace.Trim()
        : api.UserName.StartsWith(ServiceAccountPrefix, StringComparison.Ordinal) ? api.UserName[ServiceAccountPrefix.Length..].Split(':')[0] : null;

    public string NamespaceLabel => Namespace ?? "all namespaces";

    /// <summary>Messages of actions (scale, restart) for the page to show once.</summary>
    [TempData]
    public string? Flash { get; set; }

    protected async Task<Section> ListAsync(ResourceKind kind, string? ns, CancellationToken ct, string? query = null)
    {
        var (items, section) = await ReadListAsync(kind, ns, async path =>
        {
            var answer = await api.Client.SendAsync(HttpMethod.Get, path + query, null, ct);
            return answer.Object["items"] is JsonArray a ? a.OfType<JsonObject>().ToList() : [];
        });
        return section.Failed ? section : new Section(items);
    }

    /// <summary>A list read into typed objects (no JSON tree), with its refusal as a <see cref="Section"/> like <see cref="ListAsync"/>.</summary>
    protected Task<(List<T> Items, Section Section)> ListTypedAsync<T>(ResourceKind kind, string? ns, CancellationToken ct, string? query = null) =>
        ReadListAsync(kind, ns, async path => (await api.Client.ListAsync<T>(path + query, ct)).Items);

    private static async Task<(List<T> Items, Section Section)> ReadListAsync<T>(ResourceKind kind, string? ns, Func<string, Task<List<T>>> read)
    {
        if (ns is not null && !Names.IsValid(ns)) return ([], new Section([], $"ns: '{ns}' is not a namespace name (DNS-1123: lower-case letters, digits, '-')", HttpStatusCode.BadRequest));
        try
        {
            return (await read(kind.CollectionPath(kind.Namespaced ? ns : null)), Section.Empty);
        }
        catch (ApiException ex)
        {
            return ([], new Section([], ex.Detail, ex.StatusCode));
        }
        catch (HttpRequestException ex)
        {
            return ([], new Section([], "the apiserver cannot be reached: " + ex.Message, HttpStatusCode.BadGateway));
        }
    }

    /// <summary>The page's answer is the primary list's refusal status (403 when the apiserver forbade it).</summary>
    protected void StatusFrom(Section primary)
    {
        if (primary.Status is { } s) Response.StatusCode = (int)s;
    }

    /// <summary>A write as the user; the apiserver's refusal becomes the flash message.</summary>
    protected async Task<string> WriteAsync(Func<ApiClient, Task> write, string done)
    {
        try
        {
            await write(api.Client);
            return done;
        }
        catch (ApiException ex)
        {
            return $"refused ({(int?)ex.StatusCode} {ex.Reason}): {ex.Detail}";
        }
        catch (HttpRequestException ex)
        {
            return "the apiserver cannot be reached: " + ex.Message;
        }
    }
}
