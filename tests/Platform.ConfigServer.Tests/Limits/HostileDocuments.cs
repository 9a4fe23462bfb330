using System.Text;

namespace Platform.ConfigServer.Tests.Limits;

/// <summary>The attack documents of issue 17, each small enough to post or store, each fatal to an unbounded parser.</summary>
internal static class HostileDocuments
{
    /// <summary>Flow sequences nested 50,000 deep: 100 KB of text that overflows a recursive tree builder.</summary>
    public static string DeepYaml { get; } = "evil: " + new string('[', 50_000) + new string(']', 50_000) + "\n";

    public static string DeepJson { get; } = "{\"evil\": " + new string('[', 50_000) + new string(']', 50_000) + "}";

    /// <summary>"Billion laughs": nine levels of ten aliases each, 10^9 leaves from under 1 KB.</summary>
    public static string AliasBomb
    {
        get
        {
            var sb = new StringBuilder("l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
            for (var i = 1; i <= 9; i++)
                sb.Append($"l{i}: &l{i} [{string.Join(", ", Enumerable.Repeat($"*l{i - 1}", 10))}]\n");
            return sb.ToString();
        }
    }

    /// <summary><c>p0=xxxx…</c>, <c>p{n}=${p{n-1}}${p{n-1}}</c>: p30 expands to 2^30 times p0.</summary>
    public static string ExponentialPlaceholders
    {
        get
        {
            var sb = new StringBuilder("p0=" + new string('x', 64) + "\n");
            for (var i = 1; i <= 30; i++) sb.Append($"p{i}=${{p{i - 1}}}${{p{i - 1}}}\n");
            return sb.ToString();
        }
    }

    /// <summary>The same chain ending in an empty value: no output at all, 2^30 substitutions of work.</summary>
    public static string ExponentialEmptyPlaceholders
    {
        get
        {
            var sb = new StringBuilder("q0=\n");
            for (var i = 1; i <= 30; i++) sb.Append($"q{i}=${{q{i - 1}}}${{q{i - 1}}}\n");
            return sb.ToString();
        }
    }
}
