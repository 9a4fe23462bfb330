using System.Net;
using System.Text.RegularExpressions;

namespace Platform.Console.Tests.Support;

/// <summary>What a browser does with the console, over HTTP: a cookie jar, forms with their antiforgery token.</summary>
public sealed partial class ConsoleBrowser : IDisposable
{
    private readonly HttpClient _http;

    public ConsoleBrowser(Uri address)
    {
        Cookies = new CookieContainer();
        _http = new HttpClient(new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = false })
        {
            BaseAddress = address,
            Timeout = TimeSpan.FromSeconds(60),
        };
    }

    public CookieContainer Cookies { get; }
    public HttpClient Http => _http;

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    public async Task<(HttpStatusCode Status, string Html)> GetAsync(string path)
    {
        using var r = await _http.GetAsync(path);
        return (r.StatusCode, await r.Content.ReadAsStringAsync());
    }

    /// <summary>Submits a form as the page at <paramref name="formPage"/> renders it: with its antiforgery token.</summary>
    public async Task<HttpResponseMessage> SubmitAsync(string formPage, string action, IEnumerable<KeyValuePair<string, string>> fields)
    {
        var (_, html) = await GetAsync(formPage);
        var token = AntiforgeryField().Match(html) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value)
            : throw new InvalidOperationException($"{formPage} renders no antiforgery token");
        return await PostAsync(action, [.. fields, new("__RequestVerificationToken", token)]);
    }

    public Task<HttpResponseMessage> PostAsync(string action, IEnumerable<KeyValuePair<string, string>> fields) =>
        _http.PostAsync(action, new FormUrlEncodedContent(fields));

    public async Task<HttpResponseMessage> SignInAsync(string token) =>
        await SubmitAsync("/signin", "/signin", [new("token", token)]);

    public void Dispose() => _http.Dispose();
}
