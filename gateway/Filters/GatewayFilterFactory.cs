using System.Globalization;
using System.Reflection;
using Platform.Gateway.Configuration;

namespace Platform.Gateway.Filters;

/// <summary>
/// Base class for a team's own filter with a config class (Spring's <c>AbstractGatewayFilterFactory&lt;Config&gt;</c>).
/// Arguments bind to <typeparamref name="TConfig"/>'s settable properties by relaxed name
/// (<c>PostLogger</c>, <c>post-logger</c> and <c>postLogger</c> are the same), converting to string, bool, numbers,
/// enums and <see cref="TimeSpan"/>. The name is the class name without a <c>GatewayFilterFactory</c> suffix.
/// </summary>
public abstract class GatewayFilterFactory<TConfig> : IGatewayFilterFactory where TConfig : class, new()
{
    private static readonly PropertyInfo[] Properties = typeof(TConfig)
        .GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).ToArray();

    public virtual string Name
    {
        get
        {
            var n = GetType().Name;
            return n.EndsWith("GatewayFilterFactory", StringComparison.Ordinal) && n.Length > 20 ? n[..^20] : n;
        }
    }

    /// <summary>Property names the shortcut form's positional values bind to, in order.</summary>
    public virtual IReadOnlyList<string> ShortcutFields => [];

    public IGatewayFilter Create(ComponentArgs args, FilterContext context) => Apply(Bind(args), context);

    /// <summary>Builds the filter from the bound config.</summary>
    protected abstract IGatewayFilter Apply(TConfig config, FilterContext context);

    private static TConfig Bind(ComponentArgs args)
    {
        var config = new TConfig();
        foreach (var (key, value) in args.All)
        {
            var prop = Properties.FirstOrDefault(p => ComponentArgs.Normalize(p.Name) == ComponentArgs.Normalize(key))
                ?? throw new GatewayArgumentException(key, $"unknown argument; {typeof(TConfig).Name} has {string.Join(", ", Properties.Select(p => p.Name))}");
            prop.SetValue(config, Convert(value, prop.PropertyType, key));
        }
        return config;
    }

    private static object? Convert(string value, Type type, string key)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        try
        {
            if (t == typeof(string)) return value;
            if (t == typeof(bool)) return bool.Parse(value);
            if (t == typeof(TimeSpan)) return Durations.TryParse(value, out var d) ? d : throw new FormatException("not a duration");
            if (t.IsEnum) return Enum.Parse(t, value.Replace("-", "_", StringComparison.Ordinal), ignoreCase: true);
            if (t == typeof(string[])) return value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            return System.Convert.ChangeType(value, t, CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is FormatException or InvalidCastException or ArgumentException or OverflowException)
        {
            throw new GatewayArgumentException(key, $"'{value}' is not a valid {t.Name}");
        }
    }
}
