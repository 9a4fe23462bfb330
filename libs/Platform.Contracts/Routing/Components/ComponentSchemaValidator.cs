using System.Globalization;

namespace Platform.Contracts.Routing;

/// <summary>
/// Checks one predicate or filter against its <see cref="ComponentSchema"/>: shortcut values, unknown and missing
/// arguments, and that each argument parses as its kind (with the same parsers the gateway's factories use).
/// Throws <see cref="GatewayArgumentException"/> naming the argument.
/// </summary>
public static class ComponentSchemaValidator
{
    /// <summary>Regexes are compiled to check them, never run long: this bounds the check itself.</summary>
    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(1);

    /// <summary>Binds the definition's arguments (shortcut included) and checks them; returns the bound arguments.</summary>
    public static ComponentArgs Validate(ComponentDefinition definition, ComponentSchema schema)
    {
        var args = new ComponentArgs(definition, schema.ShortcutFields, schema.ShortcutType);
        foreach (var (key, _) in args.All)
        {
            if (!schema.Accepts(key))
                throw new GatewayArgumentException(key, $"unknown argument of {schema.Name} (known: {string.Join(", ", schema.Args.Select(a => a.Name).Concat(schema.ArgPrefixes.Select(p => p + "*")))})");
        }
        foreach (var arg in schema.Args)
        {
            // A parser that trips on an extreme value (an epoch past year 9999, a duration past TimeSpan) is a bad
            // argument too: admission answers 422 for it, never 500.
            try { Check(args, arg); }
            catch (Exception ex) when (ex is ArgumentException or OverflowException or FormatException)
            {
                throw new GatewayArgumentException(arg.Name, $"'{args.Find(arg.Name)}' is out of range: {ex.Message}");
            }
        }
        return args;
    }

    private static void Check(ComponentArgs args, ArgSchema arg)
    {
        var name = arg.Names.FirstOrDefault(n => args.Find(n) is not null) ?? arg.Name;
        var raw = args.Find(name);
        if (string.IsNullOrWhiteSpace(raw))
        {
            if (arg.Required) throw new GatewayArgumentException(arg.Name, "required");
            return;
        }
        switch (arg.Kind)
        {
            case ArgKind.Integer: args.Int(name, min: arg.Min); break;
            case ArgKind.Number: args.Double(name, 0); break;
            case ArgKind.Boolean: args.Bool(name, false); break;
            case ArgKind.Duration: args.Duration(name, TimeSpan.Zero); break;
            case ArgKind.Size:
                if (!Durations.TryParseSize(raw, out _)) throw new GatewayArgumentException(name, $"'{raw}' is not a size (bytes, KB, MB)");
                break;
            case ArgKind.Regex: SpringRegex.Create(args, name, CheckTimeout); break;
            case ArgKind.Choice:
                var v = Normalize(raw);
                if (!arg.Values.Any(x => Normalize(x) == v))
                    throw new GatewayArgumentException(name, $"'{raw}' is not one of {string.Join(", ", arg.Values)}");
                break;
            case ArgKind.HttpStatus: HttpStatusArg.Parse(raw, name); break;
            case ArgKind.HttpStatusList:
                foreach (var s in args.List(name)) HttpStatusArg.Parse(s, name);
                break;
            case ArgKind.DateTime: DateTimeArg.Parse(args, name); break;
            case ArgKind.CidrList:
                foreach (var c in args.List(name)) CidrRange.Parse(c, name);
                break;
        }
    }

    private static string Normalize(string value) => value.Trim().Replace('-', '_').ToUpper(CultureInfo.InvariantCulture);
}
