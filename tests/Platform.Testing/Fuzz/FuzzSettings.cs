using System.Globalization;

namespace Platform.Testing.Fuzz;

/// <summary>
/// A suite's seed and request count: fixed in the test so CI is deterministic, overridable locally with
/// <c>PLATFORM_FUZZ_SEED</c> and <c>PLATFORM_FUZZ_COUNT</c> to explore further.
/// </summary>
public sealed record FuzzSettings(int Seed, int Count)
{
    public const string SeedVariable = "PLATFORM_FUZZ_SEED";
    public const string CountVariable = "PLATFORM_FUZZ_COUNT";

    /// <summary>File every suite appends its one-line tally to (<c>./platform test</c> prints it); unset: test output only.</summary>
    public const string ReportVariable = "PLATFORM_FUZZ_REPORT";

    public static FuzzSettings For(int seed, int count) => new(
        Read(SeedVariable) ?? seed,
        Read(CountVariable) is { } n and > 0 ? n : count);

    private static int? Read(string variable) =>
        int.TryParse(Environment.GetEnvironmentVariable(variable), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;
}
