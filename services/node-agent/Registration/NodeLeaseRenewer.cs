using System.Net;
using Microsoft.Extensions.Options;
using Platform.ApiServer.Client;
using Platform.Contracts.Resources;

namespace Platform.NodeAgent.Registration;

/// <summary>
/// The heartbeat, as kubelet's node lease controller does it: the Lease <c>kube-node-lease/{node}</c> with this node
/// as holder gets a new <c>renewTime</c> on every call. The last written lease is kept, so a renewal is one PUT carrying
/// its <c>resourceVersion</c>; a 409 (someone else wrote it) or 404 (deleted with its Node) re-reads or re-creates it.
/// The lease is owned by the Node, so deleting the Node deletes its lease.
/// </summary>
internal sealed class NodeLeaseRenewer(ApiClient api, IOptions<NodeAgentOptions> options, TimeProvider time)
{
    private const int MaxAttempts = 5;
    private readonly NodeAgentOptions _o = options.Value;
    private Lease? _latest;

    private string Collection => ResourceKinds.Lease.CollectionPath(SystemNamespaces.NodeLease);
    private string Path => ResourceKinds.Lease.ObjectPath(SystemNamespaces.NodeLease, _o.NodeName);

    /// <summary>Renews (or creates) the lease of <paramref name="node"/>; throws <see cref="HttpRequestException"/> when the apiserver keeps refusing.</summary>
    public async Task<Lease> RenewAsync(Node node, CancellationToken ct)
    {
        if (_latest is not null)
        {
            try
            {
                if (await api.ReplaceAsync(Path, Renewed(_latest, node), ct) is { } renewed) return _latest = renewed;
            }
            catch (HttpRequestException ex) when (ex.StatusCode == HttpStatusCode.Conflict)
            {
                // Written by someone else since: re-read below and renew on top of that version.
            }
            _latest = null;
        }
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var current = await api.GetAsync<Lease>(Path, ct);
                var written = current is null
                    ? await api.CreateReturningAsync(Collection, Renewed(new Lease { Metadata = new ObjectMeta { Name = _o.NodeName, Namespace = SystemNamespaces.NodeLease } }, node), ct)
                    : await api.ReplaceAsync(Path, Renewed(current, node), ct);
                if (written is not null) return _latest = written;
            }
            catch (HttpRequestException ex) when (ex.StatusCode == HttpStatusCode.Conflict && attempt < MaxAttempts)
            {
                // Lost a race on create or update; the next read sees the winner.
            }
            if (attempt >= MaxAttempts) throw new HttpRequestException($"renewing lease {SystemNamespaces.NodeLease}/{_o.NodeName}: gave up after {MaxAttempts} attempts");
        }
    }

    private Lease Renewed(Lease lease, Node node)
    {
        var owner = new OwnerReference { ApiVersion = "v1", Kind = "Node", Name = node.Metadata.Name, Uid = node.Metadata.Uid };
        var now = time.GetUtcNow();
        return lease with
        {
            ApiVersion = ResourceKinds.Lease.ApiVersion,
            Kind = ResourceKinds.Lease.Kind,
            Metadata = lease.Metadata with { OwnerReferences = node.Metadata.Uid is null ? lease.Metadata.OwnerReferences : [owner] },
            Spec = lease.Spec with
            {
                HolderIdentity = _o.NodeName,
                LeaseDurationSeconds = _o.LeaseDurationSeconds,
                AcquireTime = lease.Spec.HolderIdentity == _o.NodeName ? lease.Spec.AcquireTime ?? now : now,
                RenewTime = now,
            },
        };
    }
}
