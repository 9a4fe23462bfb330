namespace Platform.Gateway.Tenancy;

/// <summary>
/// The hosts one Host pattern can match, over-approximated: a literal host, or the literal labels right of its
/// right-most wildcard label (<c>{sub}.example.org</c> and <c>**.example.org</c> → any host under
/// <c>example.org</c>). <see cref="Any"/> is a route without a Host predicate. Compared without case, as DNS does.
/// </summary>
internal sealed record HostClaim(string Suffix, bool Wildcard)
{
    public static readonly HostClaim Any = new("", Wildcard: true);

    public static HostClaim Of(string pattern)
    {
        var labels = pattern.Split(':')[0].Split('.');
        var last = Array.FindLastIndex(labels, l => l.IndexOfAny(['{', '}', '*', '?']) >= 0);
        return last < 0 ? new HostClaim(string.Join('.', labels), Wildcard: false) : new HostClaim(string.Join('.', labels[(last + 1)..]), Wildcard: true);
    }

    public bool Overlaps(HostClaim other) => (Wildcard, other.Wildcard) switch
    {
        (false, false) => string.Equals(Suffix, other.Suffix, StringComparison.OrdinalIgnoreCase),
        (false, true) => Below(Suffix, other.Suffix),
        (true, false) => Below(other.Suffix, Suffix),
        _ => Suffix.Length == 0 || other.Suffix.Length == 0 || string.Equals(Suffix, other.Suffix, StringComparison.OrdinalIgnoreCase)
            || Below(Suffix, other.Suffix) || Below(other.Suffix, Suffix),
    };

    public override string ToString() => !Wildcard ? Suffix : Suffix.Length == 0 ? "*" : "*." + Suffix;

    /// <summary>Whether <paramref name="host"/> is a strict subdomain of <paramref name="suffix"/> (every host when it is empty).</summary>
    private static bool Below(string host, string suffix) =>
        suffix.Length == 0 || host.EndsWith("." + suffix, StringComparison.OrdinalIgnoreCase);
}
