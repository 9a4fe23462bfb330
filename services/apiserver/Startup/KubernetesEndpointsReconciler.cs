using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Platform.ApiServer.Auth;
using Platform.ApiServer.Problems;
using Platform.ApiServer.Resources;
using Platform.ApiServer.Storage;
using Platform.Contracts.Resources;
using Role = Platform.ApiServer.Auth.Role;

namespace Platform.ApiServer.Startup;

/// <summary>
/// The endpoints of the <c>kubernetes</c> Service with several apiservers, as Kubernetes' lease endpoint reconciler
/// keeps them: each replica renews a Lease <c>kube-system/apiserver-{hash of address:port}</c> (label
/// <c>apiserver.kubernetes.io/identity=kube-apiserver</c>) every <c>EndpointReconcileInterval</c>, and writes the
/// EndpointSlice and Endpoints as the addresses of every replica whose lease is younger than <c>EndpointLeaseTtl</c>.
/// Every replica computes the same set, so their writes agree; a killed replica drops out when its lease expires,
/// and one that stops cleanly deletes its lease and takes itself out at once. Replicas advertise one port, as
/// Kubernetes' do (<c>--secure-port</c>); a lease with another port is left out and logged.
/// </summary>
internal sealed partial class KubernetesEndpointsReconciler(
    ResourceService resources, DeletionService deletions, IOptions<ApiServerOptions> options, TimeProvider time,
    ILogger<KubernetesEndpointsReconciler> logger) : BackgroundService
{
    public const string IdentityLabel = "apiserver.kubernetes.io/identity";
    public const string AddressAnnotation = "platform.io/advertise-address";
    private const string ManagedBy = "platform-apiserver";
    private static readonly Caller System = new("system:apiserver", Role.Admin, null, null);
    private readonly ApiServerOptions _o = options.Value;
    private IPEndPoint? _self;

    /// <summary>The first round runs before the API listens, so a started apiserver is already among the endpoints.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!IPAddress.TryParse(_o.AdvertiseAddress, out var address) || address.AddressFamily != AddressFamily.InterNetwork) return;
        _self = new IPEndPoint(address, _o.AdvertisePort);
        await ReconcileAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_o.EndpointReconcileInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await ReconcileAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // Postgres away for a moment: the next round tries again; the lease outlives a missed renewal.
                LogReconcileFailed(logger, ex);
            }
        }
    }

    /// <summary>A clean stop takes this replica out of the endpoints now instead of when its lease expires.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (_self is null) return;
        try
        {
            using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            bounded.CancelAfter(TimeSpan.FromSeconds(3));
            await deletions.DeleteAsync(System, ResourceKinds.Lease, SystemNamespaces.KubeSystem, LeaseName(_self), null, dryRun: false, bounded.Token);
            await WriteEndpointsAsync(await LiveReplicasAsync(bounded.Token), bounded.Token);
        }
        catch (Exception ex) when (ex is ApiProblem or OperationCanceledException or Npgsql.NpgsqlException or TimeoutException)
        {
            LogReconcileFailed(logger, ex);
        }
    }

    /// <summary>One round: renew this replica's lease, then make the endpoints the live replicas.</summary>
    internal async Task ReconcileAsync(CancellationToken ct)
    {
        await RenewAsync(_self!, ct);
        await WriteEndpointsAsync(await LiveReplicasAsync(ct), ct);
    }

    public static string LeaseName(IPEndPoint endpoint) =>
        "apiserver-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(endpoint.ToString())))[..16];

    private async Task RenewAsync(IPEndPoint self, CancellationToken ct)
    {
        var name = LeaseName(self);
        var now = time.GetUtcNow();
        var lease = new JsonObject
        {
            ["apiVersion"] = ResourceKinds.Lease.ApiVersion, ["kind"] = ResourceKinds.Lease.Kind,
            ["metadata"] = new JsonObject
            {
                ["name"] = name, ["namespace"] = SystemNamespaces.KubeSystem,
                ["labels"] = new JsonObject { [IdentityLabel] = "kube-apiserver" },
                ["annotations"] = new JsonObject { [AddressAnnotation] = self.ToString() },
            },
            ["spec"] = new JsonObject
            {
                ["holderIdentity"] = $"{name}_{Environment.ProcessId}",
                ["leaseDurationSeconds"] = (int)Math.Ceiling(_o.EndpointLeaseTtl.TotalSeconds),
                ["renewTime"] = MicroTime(now),
            },
        };
        await UpsertAsync(ResourceKinds.Lease, SystemNamespaces.KubeSystem, name, lease, ct);
    }

    /// <summary>The addresses of the replicas (advertising this replica's port) whose lease has not expired, in order.</summary>
    private async Task<List<string>> LiveReplicasAsync(CancellationToken ct)
    {
        var (leases, _) = await resources.ListAsync(ResourceKinds.Lease, SystemNamespaces.KubeSystem,
            Selector.Parse($"{IdentityLabel}=kube-apiserver"), FieldSelector.Empty, ct);
        var now = time.GetUtcNow();
        var live = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var lease in leases)
        {
            var body = lease.Body;
            var endpoint = body["metadata"]?["annotations"]?[AddressAnnotation]?.GetValue<string>();
            if (endpoint is null || !IPEndPoint.TryParse(endpoint, out var ep)) continue;
            var renewed = body["spec"]?["renewTime"]?.GetValue<string>();
            var ttl = body["spec"]?["leaseDurationSeconds"]?.GetValue<int>() ?? 0;
            if (!DateTimeOffset.TryParse(renewed, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) || at.AddSeconds(ttl) <= now) continue;
            if (ep.Port != _self!.Port) { LogOtherPort(logger, endpoint, _self.Port); continue; }
            live.Add(ep.Address.ToString());
        }
        return [.. live];
    }

    private async Task WriteEndpointsAsync(List<string> addresses, CancellationToken ct)
    {
        var port = _self!.Port;
        var ns = SystemNamespaces.Default;
        var name = ApiServerStartup.KubernetesServiceName;
        await UpsertAsync(ResourceKinds.EndpointSlice, ns, name, new JsonObject
        {
            ["apiVersion"] = ResourceKinds.EndpointSlice.ApiVersion, ["kind"] = ResourceKinds.EndpointSlice.Kind,
            ["metadata"] = new JsonObject
            {
                ["name"] = name, ["namespace"] = ns,
                ["labels"] = new JsonObject { ["kubernetes.io/service-name"] = name, ["endpointslice.kubernetes.io/managed-by"] = ManagedBy },
            },
            ["addressType"] = "IPv4",
            ["endpoints"] = new JsonArray([.. addresses.Select(ip => (JsonNode)new JsonObject { ["addresses"] = new JsonArray(ip), ["conditions"] = new JsonObject { ["ready"] = true } })]),
            ["ports"] = new JsonArray(new JsonObject { ["name"] = "https", ["port"] = port, ["protocol"] = "TCP" }),
        }, ct);
        await UpsertAsync(ResourceKinds.Endpoints, ns, name, new JsonObject
        {
            ["apiVersion"] = ResourceKinds.Endpoints.ApiVersion, ["kind"] = ResourceKinds.Endpoints.Kind,
            ["metadata"] = new JsonObject
            {
                ["name"] = name, ["namespace"] = ns,
                ["labels"] = new JsonObject { ["component"] = "apiserver", ["provider"] = "kubernetes" },
            },
            ["subsets"] = addresses.Count == 0 ? new JsonArray() : new JsonArray(new JsonObject
            {
                ["addresses"] = new JsonArray([.. addresses.Select(ip => (JsonNode)new JsonObject { ["ip"] = ip })]),
                ["ports"] = new JsonArray(new JsonObject { ["name"] = "https", ["port"] = port, ["protocol"] = "TCP" }),
            }),
        }, ct);
    }

    /// <summary>Creates the object, or replaces it when it exists (a replace that changes nothing writes nothing).</summary>
    private async Task UpsertAsync(ResourceKind kind, string ns, string name, JsonObject body, CancellationToken ct)
    {
        try
        {
            await resources.CreateAsync(System, kind, ns, body, new WriteRequest(), dryRun: false, ct);
        }
        catch (ApiProblem p) when (p.Reason == "AlreadyExists")
        {
            await resources.ReplaceAsync(System, kind, ns, name, null, body, new WriteRequest(), dryRun: false, ct);
        }
    }

    private static string MicroTime(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    [LoggerMessage(EventId = 7011, Level = LogLevel.Warning, Message = "the kubernetes Service's endpoints could not be reconciled; next round soon")]
    private static partial void LogReconcileFailed(ILogger logger, Exception ex);

    [LoggerMessage(EventId = 7012, Level = LogLevel.Warning, Message = "apiserver {Endpoint} advertises another port than this replica's {Port}; left out of the kubernetes Service")]
    private static partial void LogOtherPort(ILogger logger, string endpoint, int port);
}
