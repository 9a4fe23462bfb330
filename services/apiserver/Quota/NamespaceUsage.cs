using Platform.ApiServer.Storage;
using Platform.Contracts.Quota;
using Platform.Contracts.Resources;

namespace Platform.ApiServer.Quota;

/// <summary>
/// What a namespace's stored objects use, counted inside the write transaction: a create racing this one has either
/// committed (and is counted, each statement seeing what committed before it) or waits on the quota rows this
/// transaction locked. Pods and Services are read to sum their requests, limits and ports; other kinds are counted.
/// </summary>
internal static class NamespaceUsage
{
    public static async Task<Dictionary<string, decimal>> MeasureAsync(WriteSession w, string ns, IEnumerable<string> names, CancellationToken ct)
    {
        var used = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var group in names.Distinct(StringComparer.Ordinal).GroupBy(QuotaResourceNames.KindOf))
        {
            if (group.Key is not { } kind) continue;
            if (group.Any(n => n != QuotaResourceNames.CountOf(kind) && n != QuotaResourceNames.LegacyCountOf(kind)))
            {
                var objects = (await w.ListAsync(kind, ns, forUpdate: false, ct)).Select(o => ResourceCodec.Decode(kind, o.Body));
                foreach (var (name, value) in QuotaUsage.Sum(kind, objects, group)) used[name] = value;
                continue;
            }
            var count = await w.CountAsync(kind, ns, ct);
            foreach (var name in group) used[name] = count;
        }
        return used;
    }
}
