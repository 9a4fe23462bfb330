namespace Platform.ConfigServer.Backends.Kubernetes;

/// <summary>The labels that make a ConfigMap or Secret configuration of one application and profile.</summary>
internal static class ConfigDataLabels
{
    public const string Application = "config.platform.io/application";
    public const string Profile = "config.platform.io/profile";

    /// <summary>The application the labels name, or null when they name none.</summary>
    public static string? ApplicationOf(IReadOnlyDictionary<string, string>? labels) =>
        labels?.GetValueOrDefault(Application) is { } app && !string.IsNullOrWhiteSpace(app) ? app : null;

    /// <summary>The profile the labels name, <c>default</c> when none.</summary>
    public static string ProfileOf(IReadOnlyDictionary<string, string>? labels) =>
        labels?.GetValueOrDefault(Profile) is { } p && !string.IsNullOrWhiteSpace(p) ? p : "default";
}
