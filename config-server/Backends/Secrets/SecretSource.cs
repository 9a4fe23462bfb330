using System.Text;
using Microsoft.Extensions.Options;
using Platform.ApiServer.Client;
using Platform.ApiServer.Client.Informers;
using Platform.ConfigServer.Backends.Kubernetes;
using Platform.ConfigServer.Environment;
using Platform.ConfigServer.Limits;
using Platform.ConfigServer.Security;
using Platform.Contracts.Resources;

namespace Platform.ConfigServer.Backends.Secrets;

/// <summary>
/// Secrets as property sources named <c>secret:NS/NAME</c>: those labelled like ConfigMaps
/// (<c>config.platform.io/application</c>, <c>config.platform.io/profile</c>), and, as Spring Cloud Kubernetes reads
/// them, those named after the application (<c>orders</c>, <c>orders-dev</c>, <c>application</c>,
/// <c>application-dev</c>). Data is base64-decoded to UTF-8, then read as ConfigMap data is. A caller the apiserver
/// vouched for gets a Secret only if a SubjectAccessReview lets it <c>get</c> that Secret (any Secret of the namespace,
/// or this one by name); otherwise the response simply lacks it, as a Spring Cloud Kubernetes client that may not read
/// a Secret goes on without it. Static credentials are the operator's and get every Secret of the default namespace.
/// </summary>
internal sealed partial class SecretSource : IConfigDataSource
{
    private const string Resource = "secrets";
    private readonly DelegatedAuth _auth;
    private readonly DocumentLimitsOptions _limits;
    private readonly ILogger<SecretSource> _logger;

    public SecretSource(DelegatedAuth auth, IOptions<DocumentLimitsOptions> limits, ILogger<SecretSource> logger)
    {
        _auth = auth;
        _limits = limits.Value;
        _logger = logger;
        Store = new ConfigDataStore(r => ToEntry((Secret)r));
    }

    public ResourceKind Kind => ResourceKinds.Secret;

    public bool EventsOmitData => true;

    public ConfigDataStore Store { get; }

    public async ValueTask<bool> MayServeAsync(ConfigDataEntry entry, EnvironmentRequest request, CancellationToken cancellationToken)
    {
        // Null for static credentials: the namespace filter admitted them to the default namespace only.
        if (request.Caller is not { } caller) return true;
        try
        {
            // Allowed without a name means allowed for every name (RBAC); the named review covers resourceNames rules.
            if (await _auth.MayGetAsync(caller, entry.Namespace, Resource, null, cancellationToken)
                || await _auth.MayGetAsync(caller, entry.Namespace, Resource, entry.Name, cancellationToken)) return true;
        }
        catch (Exception ex) when (ex is HttpRequestException or ApiException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new BackendUnavailableException($"secrets: the apiserver could not authorize reading secret {entry.Namespace}/{entry.Name}: {ex.Message}", ex);
        }
        LogWithheld(_logger, entry.Namespace, entry.Name, caller.Name);
        return false;
    }

    private ConfigDataEntry ToEntry(Secret secret)
    {
        var name = secret.Metadata.Name!;
        var ns = secret.Metadata.Namespace ?? SystemNamespaces.Default;
        var labels = secret.Metadata.Labels;
        var app = ConfigDataLabels.ApplicationOf(labels);
        var profile = app is null ? "default" : ConfigDataLabels.ProfileOf(labels);
        var location = $"secret {ns}/{name}";
        var data = (secret.Data ?? []).Select(kv => KeyValuePair.Create(kv.Key, Decode(location, kv.Key, kv.Value)));
        var properties = ConfigDataParser.Parse(location, data, profile, _limits, sensitive: true);
        return new ConfigDataEntry(ns, name, app, profile, ObjectKeys.VersionOf(secret), new PropertySource($"secret:{ns}/{name}", properties));
    }

    private static string Decode(string location, string key, string? base64)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(base64 ?? ""));
        }
        catch (FormatException)
        {
            throw new InvalidDataException($"{location} data.{key}: not base64");
        }
    }

    [LoggerMessage(EventId = 8605, Level = LogLevel.Information,
        Message = "secret {Namespace}/{Name} left out of the response: user \"{User}\" cannot get it")]
    private static partial void LogWithheld(ILogger logger, string @namespace, string name, string user);
}
