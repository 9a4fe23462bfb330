using System.Security.Cryptography.X509Certificates;
using Platform.ApiServer.Client.Informers;
using Platform.Contracts.Resources;
using Platform.Contracts.Resources.GatewayApi;
using Platform.Gateway.Ingresses;
using GatewayObject = Platform.Contracts.Resources.GatewayApi.Gateway;

namespace Platform.Gateway.GatewayApi;

/// <summary>
/// The certificates of a Gateway's HTTPS listeners (<c>tls.mode: Terminate</c>): each <c>certificateRefs</c> entry a
/// <c>kubernetes.io/tls</c> Secret in the Gateway's namespace, or in another one whose ReferenceGrant lists
/// <c>from: {group: gateway.networking.k8s.io, kind: Gateway, namespace: &lt;the Gateway's&gt;}</c> and
/// <c>to: {group: "", kind: Secret}</c> (optionally that name). They are served by SNI on the gateway's HTTPS endpoint
/// for the listener's hostname (none: any name no other certificate covers), beside Ingresses' through
/// <see cref="IngressCertificates"/>. A refused reference is the listener's <c>ResolvedRefs=False</c>:
/// <c>InvalidCertificateRef</c> (not a Secret, missing, not kubernetes.io/tls, unreadable, expired) or <c>RefNotPermitted</c>.
/// </summary>
internal static class ListenerCertificates
{
    public sealed record Result(List<(IReadOnlyList<string> Hosts, X509Certificate2 Certificate)> Entries,
        Dictionary<string, (string Reason, string Message)> Refused);

    public static Result Load(GatewayObject gw, Informer<Secret> secrets, Func<string, IEnumerable<ReferenceGrant>> grants, DateTimeOffset now)
    {
        var gwNs = gw.Metadata.Namespace ?? SystemNamespaces.Default;
        var entries = new List<(IReadOnlyList<string>, X509Certificate2)>();
        var refused = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
        foreach (var l in gw.Spec.Listeners ?? [])
        {
            if (l.Protocol != "HTTPS" || (l.Tls?.Mode ?? "Terminate") != "Terminate") continue;
            foreach (var r in l.Tls?.CertificateRefs ?? [])
            {
                var ns = r.Namespace ?? gwNs;
                var refusal = Refusal(r, ns, gwNs, secrets, grants, now, out var certificate);
                if (refusal is { } why) refused.TryAdd(l.Name ?? "", why);
                else entries.Add((l.Hostname is { Length: > 0 } h ? [h] : [], certificate!));
            }
        }
        return new Result(entries, refused);
    }

    private static (string Reason, string Message)? Refusal(SecretObjectReference r, string ns, string gwNs, Informer<Secret> secrets,
        Func<string, IEnumerable<ReferenceGrant>> grants, DateTimeOffset now, out X509Certificate2? certificate)
    {
        certificate = null;
        var kind = (r.Group ?? "") == "" ? r.Kind ?? "Secret" : $"{r.Group}/{r.Kind}";
        var what = $"certificateRef {kind} \"{ns}/{r.Name}\"";
        if ((r.Group ?? "") != "" || (r.Kind ?? "Secret") != "Secret")
            return (GatewayApiNames.InvalidCertificateRef, $"{what}: only Secrets are served");
        if (ns != gwNs && !grants(ns).Any(g =>
                (g.Spec.From ?? []).Any(f => f.Group == GatewayApiNames.Group && f.Kind == GatewayApiNames.GatewayKind && f.Namespace == gwNs)
                && (g.Spec.To ?? []).Any(t => (t.Group ?? "") == "" && t.Kind == "Secret" && (t.Name is null || t.Name == r.Name))))
            return (GatewayApiNames.RefNotPermitted, $"{what} is not permitted by any ReferenceGrant in namespace \"{ns}\"");
        if (secrets.Get(ns, r.Name ?? "") is not { } secret)
            return (GatewayApiNames.InvalidCertificateRef, $"{what} not found");
        if (secret.Type != "kubernetes.io/tls")
            return (GatewayApiNames.InvalidCertificateRef, $"{what} is of type \"{secret.Type}\", not kubernetes.io/tls");
        certificate = IngressTlsSecrets.Certificate(secret, now, out var problem);
        return certificate is null ? (GatewayApiNames.InvalidCertificateRef, $"{what}: {problem}") : null;
    }
}
