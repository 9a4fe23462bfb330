namespace Platform.Gateway.Configuration;

/// <summary>
/// <c>spring.cloud.gateway.httpclient</c> of the routes file: <c>connect-timeout</c> (ms) and <c>response-timeout</c>
/// (duration) for every route; a route's metadata overrides them, and they override <c>Gateway:HttpClient</c>.
/// </summary>
public sealed record HttpClientDefinition(TimeSpan? ConnectTimeout, TimeSpan? ResponseTimeout)
{
    public static HttpClientDefinition None { get; } = new(null, null);
}
