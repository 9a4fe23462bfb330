using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Platform.Config.Client;

/// <summary>
/// Fetches <c>/{name}/{env}[/{label}]</c> from the config server (or from each URI in turn, or from the instances
/// the registry lists when discovery is on) and flattens the property sources into .NET configuration keys,
/// applying Spring's precedence: the first source wins.
/// </summary>
internal sealed class ConfigEnvironmentClient(ConfigServerClientSettings settings, ILogger logger) : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = settings.Timeout };

    /// <summary>Loads with retries when <c>retry:enabled</c>; returns null when every attempt failed and failFast is off.</summary>
    public Dictionary<string, string?>? Load(CancellationToken cancellationToken)
    {
        var attempts = settings.RetryEnabled ? settings.RetryMaxAttempts : 1;
        var delay = settings.RetryInitialInterval;
        Exception? last = null;
        for (var attempt = 1; attempt <= attempts; attempt++)
        {
            try
            {
                // IConfigurationProvider.Load is synchronous and runs without a SynchronizationContext, so blocking here cannot deadlock.
                return LoadOnceAsync(cancellationToken).GetAwaiter().GetResult();
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException or InvalidOperationException)
            {
                last = ex;
                ClientLog.LoadFailed(logger, settings.Name, attempt, attempts, ex.Message);
                if (attempt == attempts) break;
                cancellationToken.WaitHandle.WaitOne(delay);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * settings.RetryMultiplier, settings.RetryMaxInterval.TotalMilliseconds));
            }
        }
        if (settings.FailFast)
            throw new InvalidOperationException($"spring:cloud:config:failFast: could not load configuration for '{settings.Name}' from the config server: {last?.Message}", last);
        return null;
    }

    private async Task<Dictionary<string, string?>> LoadOnceAsync(CancellationToken cancellationToken)
    {
        Exception? last = null;
        foreach (var baseUri in await ServerUrisAsync(cancellationToken))
        {
            try
            {
                var data = await FetchAsync(baseUri, cancellationToken);
                ClientLog.Loaded(logger, data.Count, settings.Name, settings.Environment, baseUri.GetLeftPart(UriPartial.Authority));
                return data;
            }
            catch (HttpRequestException ex)
            {
                last = ex;
            }
        }
        throw last ?? new InvalidOperationException("spring:cloud:config:uri: no config server address");
    }

    private async Task<Dictionary<string, string?>> FetchAsync(Uri baseUri, CancellationToken cancellationToken)
    {
        var path = $"{Uri.EscapeDataString(settings.Name)}/{Uri.EscapeDataString(settings.Environment)}";
        if (!string.IsNullOrEmpty(settings.Label)) path += "/" + Uri.EscapeDataString(settings.Label.Replace("/", "(_)", StringComparison.Ordinal));
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(new Uri(baseUri.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/"), path));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        var (user, password) = Credentials(baseUri);
        if (user is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        using var response = await _http.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var doc = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);
        return Flatten(doc.RootElement);
    }

    /// <summary>Lowest precedence first, so a higher source overwrites; <c>a.b[0]</c> becomes <c>a:b:0</c>.</summary>
    internal static Dictionary<string, string?> Flatten(JsonElement environment)
    {
        var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (!environment.TryGetProperty("propertySources", out var sources) || sources.ValueKind != JsonValueKind.Array) return data;
        foreach (var source in sources.EnumerateArray().Reverse())
        {
            if (!source.TryGetProperty("source", out var props) || props.ValueKind != JsonValueKind.Object) continue;
            foreach (var p in props.EnumerateObject()) data[ToConfigurationKey(p.Name)] = ToText(p.Value);
        }
        return data;
    }

    internal static string ToConfigurationKey(string springKey)
    {
        var sb = new StringBuilder(springKey.Length + 4);
        foreach (var c in springKey)
        {
            switch (c)
            {
                case '.': sb.Append(':'); break;
                case '[': sb.Append(':'); break;
                case ']': break;
                default: sb.Append(c); break;
            }
        }
        return sb.ToString();
    }

    private static string? ToText(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Null => null,
        JsonValueKind.Number => value.GetRawText(),
        _ => value.GetRawText(),
    };

    private (string? User, string? Password) Credentials(Uri uri)
    {
        if (!string.IsNullOrEmpty(settings.Username)) return (settings.Username, settings.Password);
        if (string.IsNullOrEmpty(uri.UserInfo)) return (null, null);
        var parts = uri.UserInfo.Split(':', 2);
        return (Uri.UnescapeDataString(parts[0]), parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : "");
    }

    private async Task<IReadOnlyList<Uri>> ServerUrisAsync(CancellationToken cancellationToken)
    {
        if (!settings.DiscoveryEnabled) return settings.Uris;
        var found = new List<Uri>();
        foreach (var eureka in settings.EurekaServiceUrls)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(eureka.ToString().TrimEnd('/') + "/apps/" + Uri.EscapeDataString(settings.DiscoveryServiceId)));
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                using var response = await _http.SendAsync(request, cancellationToken);
                if (!response.IsSuccessStatusCode) continue;
                using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
                found.AddRange(UpInstances(doc.RootElement));
                if (found.Count > 0) break;
            }
            catch (HttpRequestException)
            {
                // Try the next registry peer.
            }
        }
        return found.Count > 0 ? found
            : throw new InvalidOperationException($"spring:cloud:config:discovery:serviceId: no UP instance of '{settings.DiscoveryServiceId}' in eureka:client:serviceUrl:defaultZone");
    }

    /// <summary>Eureka JSON: <c>application.instance</c> is an object for one instance and an array for more.</summary>
    private static IEnumerable<Uri> UpInstances(JsonElement root)
    {
        if (!root.TryGetProperty("application", out var app) || !app.TryGetProperty("instance", out var instances)) yield break;
        var list = instances.ValueKind == JsonValueKind.Array ? instances.EnumerateArray().ToList() : [instances];
        foreach (var i in list)
        {
            if (i.TryGetProperty("status", out var status) && status.GetString() != "UP") continue;
            if (i.TryGetProperty("homePageUrl", out var home) && Uri.TryCreate(home.GetString(), UriKind.Absolute, out var homeUri)) { yield return homeUri; continue; }
            if (i.TryGetProperty("hostName", out var host) && i.TryGetProperty("port", out var port))
            {
                var number = port.ValueKind == JsonValueKind.Object ? port.GetProperty("$").ToString() : port.ToString();
                yield return new Uri(string.Create(CultureInfo.InvariantCulture, $"http://{host.GetString()}:{number}/"));
            }
        }
    }

    public void Dispose() => _http.Dispose();
}
