using Platform.Contracts.Resources;

namespace Platform.ApiServer.PodSecurity.Checks;

/// <summary>The wording helpers every check shares, so each message reads exactly as Kubernetes prints it.</summary>
internal static class CheckText
{
    /// <summary><c>"a", "b"</c>.</summary>
    public static string JoinQuote(IEnumerable<string> items) => string.Join(", ", items.Select(i => $"\"{i}\""));

    public static string Pluralize(string singular, string plural, int count) => count == 1 ? singular : plural;

    /// <summary><c>container "a"</c> or <c>containers "a", "b"</c>.</summary>
    public static string Containers(IReadOnlyCollection<string> names) => $"{Pluralize("container", "containers", names.Count)} {JoinQuote(names)}";

    /// <summary>Distinct, in byte order (Go's sorted string sets).</summary>
    public static List<string> Sorted(IEnumerable<string> items) => items.Distinct().Order(StringComparer.Ordinal).ToList();

    /// <summary>Init containers, then containers: the order Kubernetes visits them and names them in messages.</summary>
    public static IEnumerable<Container> AllContainers(PodSpec spec) =>
        (spec.InitContainers ?? []).Concat(spec.Containers ?? []).Where(c => c is not null);

    /// <summary>
    /// Who sets a profile type the check refuses — <c>pod</c>, then <c>containers "a", "b"</c> — and the refused
    /// types. The selectors answer null where no profile is set.
    /// </summary>
    public static (List<string> Setters, List<string> Values) RefusedTypes(PodSpec spec, Func<PodSecurityContext?, string?> podType,
        Func<SecurityContext?, string?> containerType, Func<string, bool> allowed)
    {
        var setters = new List<string>();
        var values = new List<string>();
        if (podType(spec.SecurityContext) is { } p && !allowed(p))
        {
            setters.Add("pod");
            values.Add(p);
        }
        var containers = new List<string>();
        foreach (var c in AllContainers(spec))
        {
            if (containerType(c.SecurityContext) is not { } t || allowed(t)) continue;
            containers.Add(c.Name!);
            values.Add(t);
        }
        if (containers.Count > 0) setters.Add(Containers(containers));
        return (setters, values);
    }

    /// <summary>The string of a Kubernetes <c>%q</c> formatted value (quoted, backslash-escaped).</summary>
    public static string Quote(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
