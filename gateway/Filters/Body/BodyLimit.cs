using Platform.Gateway.Configuration;

namespace Platform.Gateway.Filters.Body;

/// <summary>
/// The most a body filter holds in memory: the <c>maxSize</c> argument (bytes, KB, MB), by default 256 KB, Spring's
/// <c>spring.codec.max-in-memory-size</c>.
/// </summary>
internal static class BodyLimit
{
    public const long Default = 256 * 1024;

    public static long From(ComponentArgs args)
    {
        var raw = args.Find("maxSize");
        if (raw is null) return Default;
        return Durations.TryParseSize(raw, out var max) && max > 0 ? max : throw new GatewayArgumentException("maxSize", $"'{raw}' is not a size (bytes, KB, MB) > 0");
    }
}
