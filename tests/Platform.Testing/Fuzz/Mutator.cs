using System.Globalization;
using System.Text;

namespace Platform.Testing.Fuzz;

/// <summary>
/// The seeded mutation engine every fuzz suite shares: from a real request shape it makes truncated, deeply nested,
/// huge, wrongly typed, invalid-UTF-8, control-character, duplicate-key and enormous-number variants. The same seed
/// always gives the same sequence, so a failure is replayed by its seed and index.
/// </summary>
public sealed partial class Mutator(int seed)
{
    private readonly Random _rng = new(seed);

    public int Next(int maxExclusive) => _rng.Next(maxExclusive);

    public int Next(int minInclusive, int maxExclusive) => _rng.Next(minInclusive, maxExclusive);

    /// <summary>True once in <paramref name="n"/> calls, on average.</summary>
    public bool OneIn(int n) => _rng.Next(n) == 0;

    public T PickFrom<T>(IReadOnlyList<T> items) => items[_rng.Next(items.Count)];

    public T Pick<T>(params T[] items) => items[_rng.Next(items.Length)];

    /// <summary>Names far past every length limit (DNS labels, resource names, file names), or just a bit past.</summary>
    public string HugeString() => _rng.Next(4) switch
    {
        0 => new string('a', _rng.Next(254, 5000)),
        1 => new string('x', 64),
        2 => string.Concat(Enumerable.Repeat("ü✓", _rng.Next(100, 2000))),
        _ => new string('n', _rng.Next(20_000, 70_000)),
    };

    private static readonly string[] Controls = ["\u0000", "\r\n", "\n", "\r", "\t", "\u0007", "\u001b[31m", "\u007f", "\u0085", "\u2028", "\ufeff", "\u202e"];

    public string ControlChars() => Pick(Controls);

    private static readonly string[] Numbers =
    [
        "1e400", "-1e400", "99999999999999999999999999999999", "9223372036854775808", "-9223372036854775809", "2147483648", "-2147483649",
        "NaN", "Infinity", "-Infinity", "0x1F", "1_000", "+1", "-0", "1.5", "00012", "1e-400", "-1", "0", "4294967296",
    ];

    /// <summary>Numbers past every integer width, NaN, hex, exponents: as text, for query values and JSON literals.</summary>
    public string EnormousNumber() => Pick(Numbers);

    private static readonly string[] Oddities =
    [
        "", " ", "null", "true", "[]", "{}", "%s%n%x", "${jndi:ldap://127.0.0.1/x}", "'; DROP TABLE x;--", "../../etc/passwd", "..\\..\\windows",
        "<script>alert(1)</script>", "{{7*7}}", "#{7*7}", "\"", "\\", "*", "**", "?", "&", "=", ",", ";", ":", "@", "~", "-", ".", "..",
    ];

    /// <summary>A value of the wrong kind: a number, a control character, an injection probe, a huge or empty string.</summary>
    public string WeirdScalar() => _rng.Next(5) switch
    {
        0 => EnormousNumber(),
        1 => "a" + ControlChars() + "b",
        2 => HugeString(),
        _ => Pick(Oddities),
    };

    /// <summary>A real value bent out of shape: replaced, truncated, doubled to a huge size, or salted with control characters.</summary>
    public string MutateText(string real) => _rng.Next(7) switch
    {
        0 => WeirdScalar(),
        1 when real.Length > 1 => real[.._rng.Next(1, real.Length)],
        2 => real + ControlChars() + real,
        3 => string.Concat(Enumerable.Repeat(real.Length == 0 ? "a" : real, Math.Max(1, 5000 / Math.Max(1, real.Length)))),
        4 => real.ToUpperInvariant() == real ? real.ToLowerInvariant() : real.ToUpperInvariant(),
        5 => real + "ü✓\u202e",
        _ => real + Pick("-", ".", "_", ":", "*", "%", "/", "..", "$", "{", "}"),
    };

    /// <summary>Random bytes, sometimes with a UTF-8 BOM or an HTML/XML/JSON looking start.</summary>
    public byte[] RandomBytes()
    {
        var b = new byte[_rng.Next(1, 1024)];
        _rng.NextBytes(b);
        var prefix = Pick("", "\ufeff", "{", "<", "[", "---\n");
        return [.. Encoding.UTF8.GetBytes(prefix), .. b];
    }

    private static readonly byte[][] BadUtf8 =
    [
        [0xff], [0xfe, 0xff], [0xc0, 0x80], [0xc0, 0xae], [0xe2, 0x82], [0x80], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80],
    ];

    /// <summary><paramref name="text"/> as UTF-8 with an invalid sequence (overlong, surrogate, truncated, stray continuation) inside.</summary>
    public byte[] InvalidUtf8(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var at = bytes.Length == 0 ? 0 : _rng.Next(bytes.Length);
        return [.. bytes.AsSpan(0, at), .. Pick(BadUtf8), .. bytes.AsSpan(at)];
    }

    /// <summary>A prefix of <paramref name="text"/>: cut mid-token, mid-string or mid-escape.</summary>
    public string Truncate(string text) => text.Length < 2 ? "" : text[.._rng.Next(1, text.Length - 1)];

    /// <summary><paramref name="n"/> random decimal digits.</summary>
    public string Digits(int n) => string.Concat(Enumerable.Range(0, n).Select(_ => _rng.Next(10).ToString(CultureInfo.InvariantCulture)));
}
