using Platform.Contracts.Resources;

namespace Platform.Scheduler.Framework;

/// <summary>
/// The resources a pod reserves: the sum over its containers, or the largest init container when that is larger
/// (init containers run one at a time before the others). A missing request defaults to the limit, as the
/// Kubernetes apiserver defaults it.
/// </summary>
internal static class PodRequests
{
    public static ResourceVector Of(PodSpec spec)
    {
        long cpu = 0, mem = 0;
        var scalars = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var c in spec.Containers) Add(c, ref cpu, ref mem, scalars, max: false);
        foreach (var c in spec.InitContainers ?? []) Add(c, ref cpu, ref mem, scalars, max: true);
        return cpu == 0 && mem == 0 && scalars.Count == 0 ? ResourceVector.Zero : new ResourceVector(cpu, mem, scalars);
    }

    private static void Add(Container c, ref long cpu, ref long mem, Dictionary<string, long> scalars, bool max)
    {
        var req = c.Resources?.Requests;
        var lim = c.Resources?.Limits;
        var names = (req?.Keys ?? Enumerable.Empty<string>()).Union(lim?.Keys ?? Enumerable.Empty<string>());
        foreach (var name in names)
        {
            var text = req is not null && req.TryGetValue(name, out var r) ? r : lim![name];
            if (!Quantity.TryParse(text, out var q)) continue; // the apiserver validated quantities; an unparsable one reserves nothing
            var v = Amount(name, q);
            switch (name)
            {
                case "cpu": cpu = max ? Math.Max(cpu, v) : cpu + v; break;
                case "memory": mem = max ? Math.Max(mem, v) : mem + v; break;
                default:
                    scalars.TryGetValue(name, out var s);
                    scalars[name] = max ? Math.Max(s, v) : s + v;
                    break;
            }
        }
    }

    /// <summary>CPU in millicores, everything else in whole units.</summary>
    public static long Amount(string name, decimal q) =>
        name == "cpu" ? Quantity.ToMilli(q) : (long)Math.Ceiling(Math.Min(q, long.MaxValue));
}
