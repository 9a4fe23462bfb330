using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Platform.Contracts.Resources;

namespace Platform.ControllerManager.Controllers.EndpointSlice;

using Slice = Platform.Contracts.Resources.EndpointSlice;

/// <summary>
/// Packs a Service's desired endpoints into slices of one port set each, at most <c>max</c> endpoints per slice, with
/// little churn: an endpoint stays in the slice that holds it, new ones fill slices with room before a slice is added,
/// emptied slices go. Slice names are derived (<c>{service}-{port-set hash}-{n}</c>), so a cache that has not yet seen
/// a slice this controller created makes the create fail (409) and the key retry, never a duplicate. A slice is only
/// written when its content differs.
/// </summary>
internal static class SlicePlanner
{
    public const string ServiceNameLabel = "kubernetes.io/service-name";
    public const string ManagedByLabel = "endpointslice.kubernetes.io/managed-by";
    public const string ManagedBy = "endpointslice-controller.k8s.io";

    public static SlicePlan Plan(Service svc, IReadOnlyList<Slice> existing, List<DesiredEndpoint> desired, int max)
    {
        var plan = new SlicePlan([], [], []);
        var groups = desired.GroupBy(d => d.PortKey).ToDictionary(g => g.Key, g => g.OrderBy(d => d.PodName, StringComparer.Ordinal).ToList());
        // A Service with no endpoints keeps one empty slice, as Kubernetes' placeholder, so consumers see "none" rather than "unknown".
        if (groups.Count == 0) groups[DesiredEndpoints.KeyOf([])] = [];
        var byKey = existing.GroupBy(s => DesiredEndpoints.KeyOf(s.Ports)).ToDictionary(g => g.Key, g => g.OrderBy(s => s.Metadata.Name, StringComparer.Ordinal).ToList());
        foreach (var (key, slices) in byKey.Where(kv => !groups.ContainsKey(kv.Key))) plan.Delete.AddRange(slices);
        var names = existing.Select(s => s.Metadata.Name!).ToHashSet(StringComparer.Ordinal);
        foreach (var (key, wanted) in groups)
        {
            var slices = byKey.GetValueOrDefault(key) ?? [];
            var ports = wanted.FirstOrDefault()?.Ports ?? [];
            var byUid = wanted.ToDictionary(d => d.PodUid);
            var placed = new HashSet<string>();
            var contents = new List<(Slice? Current, List<DesiredEndpoint> Endpoints)>();
            foreach (var slice in slices)
            {
                var kept = new List<DesiredEndpoint>();
                foreach (var e in slice.Endpoints ?? [])
                    if (kept.Count < max && e.TargetRef?.Uid is { } uid && byUid.TryGetValue(uid, out var d) && placed.Add(uid)) kept.Add(d);
                contents.Add((slice, kept));
            }
            var queue = new Queue<DesiredEndpoint>(wanted.Where(d => !placed.Contains(d.PodUid)));
            for (var i = 0; i < contents.Count && queue.Count > 0; i++)
                while (contents[i].Endpoints.Count < max && queue.TryDequeue(out var d)) contents[i].Endpoints.Add(d);
            while (queue.Count > 0)
            {
                var chunk = new List<DesiredEndpoint>();
                while (chunk.Count < max && queue.TryDequeue(out var d)) chunk.Add(d);
                contents.Add((null, chunk));
            }
            // Keep one (possibly empty) slice for the group when it has no endpoints at all: the placeholder.
            var keepEmpty = wanted.Count == 0;
            foreach (var (current, endpoints) in contents)
            {
                if (endpoints.Count == 0 && !(keepEmpty && current == contents[0].Current))
                {
                    if (current is not null) plan.Delete.Add(current);
                    continue;
                }
                var next = Build(svc, current, key, ports, endpoints, names);
                if (current is null) plan.Create.Add(next);
                else if (!Same(current, next)) plan.Update.Add(next);
            }
            if (keepEmpty && contents.Count == 0) plan.Create.Add(Build(svc, null, key, ports, [], names));
        }
        return plan;
    }

    private static Slice Build(Service svc, Slice? current, string key, List<EndpointPort> ports, List<DesiredEndpoint> endpoints, HashSet<string> names)
    {
        var labels = new Dictionary<string, string>(svc.Metadata.Labels ?? [])
        {
            [ServiceNameLabel] = svc.Metadata.Name!,
            [ManagedByLabel] = ManagedBy,
        };
        var name = current?.Metadata.Name ?? NewName(svc.Metadata.Name!, key, names);
        return new Slice
        {
            ApiVersion = ResourceKinds.EndpointSlice.ApiVersion,
            Kind = ResourceKinds.EndpointSlice.Kind,
            Metadata = new ObjectMeta
            {
                Name = name,
                Namespace = svc.Metadata.Namespace,
                Labels = labels,
                ResourceVersion = current?.Metadata.ResourceVersion,
                OwnerReferences = [DesiredEndpoints.OwnerOf(svc)],
            },
            AddressType = "IPv4",
            Endpoints = endpoints.Select(e => e.Endpoint).ToList(),
            Ports = ports,
        };
    }

    private static string NewName(string service, string key, HashSet<string> names)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..5];
        for (var n = 0; ; n++)
        {
            var name = $"{service}-{hash}-{n}";
            if (names.Add(name)) return name;
        }
    }

    /// <summary>Whether <paramref name="next"/> would change nothing the controller owns in <paramref name="current"/>.</summary>
    private static bool Same(Slice current, Slice next) =>
        Json(current.Endpoints) == Json(next.Endpoints) && DesiredEndpoints.KeyOf(current.Ports) == DesiredEndpoints.KeyOf(next.Ports)
        && current.AddressType == next.AddressType && Json(Sorted(current.Metadata.Labels)) == Json(Sorted(next.Metadata.Labels))
        && Json(current.Metadata.OwnerReferences) == Json(next.Metadata.OwnerReferences);

    private static SortedDictionary<string, string> Sorted(Dictionary<string, string>? labels) => new(labels ?? [], StringComparer.Ordinal);

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, ResourceJson.Options);
}
