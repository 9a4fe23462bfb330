namespace Platform.Gateway.Configuration;

/// <summary>One entry of <c>globalcors.cors-configurations</c>, keyed by a path pattern such as <c>/**</c>.</summary>
public sealed record CorsDefinition(
    string PathPattern,
    IReadOnlyList<string> AllowedOrigins,
    IReadOnlyList<string> AllowedMethods,
    IReadOnlyList<string> AllowedHeaders,
    bool AllowCredentials,
    int? MaxAgeSeconds);
