using System.Reflection;

namespace Platform.ApiServer.Protobuf;

/// <summary>
/// Kubernetes' protobuf schema: the vendored <c>generated.proto</c> files under <c>Protobuf/Schema/</c> (embedded in
/// the assembly) parsed once, their type references resolved, and <c>json-hints.txt</c> applied — what the Go struct
/// tags add about each field's JSON form. See <c>Protobuf/Schema/README.md</c>.
/// </summary>
internal sealed class ProtoSchema
{
    internal const string ResourcePrefix = "protobuf-schema/";
    private const string Meta = "k8s.io.apimachinery.pkg.apis.meta.v1";

    /// <summary>The group-versions whose kinds are decoded, and the proto package of each.</summary>
    private static readonly Dictionary<string, string> Packages = new(StringComparer.Ordinal)
    {
        ["v1"] = "k8s.io.api.core.v1",
        ["apps/v1"] = "k8s.io.api.apps.v1",
        ["batch/v1"] = "k8s.io.api.batch.v1",
        ["autoscaling/v1"] = "k8s.io.api.autoscaling.v1",
        ["autoscaling/v2"] = "k8s.io.api.autoscaling.v2",
        ["policy/v1"] = "k8s.io.api.policy.v1",
        ["rbac.authorization.k8s.io/v1"] = "k8s.io.api.rbac.v1",
        ["authentication.k8s.io/v1"] = "k8s.io.api.authentication.v1",
        ["authorization.k8s.io/v1"] = "k8s.io.api.authorization.v1",
        ["coordination.k8s.io/v1"] = "k8s.io.api.coordination.v1",
        ["networking.k8s.io/v1"] = "k8s.io.api.networking.v1",
        ["meta.k8s.io/v1"] = Meta,
    };

    /// <summary>meta/v1 kinds every group-version also serves (metav1.AddToGroupVersion): a DELETE body is apps/v1 DeleteOptions.</summary>
    private static readonly HashSet<string> MetaKinds = new(StringComparer.Ordinal)
    {
        "DeleteOptions", "CreateOptions", "UpdateOptions", "PatchOptions", "ListOptions", "GetOptions", "Status",
    };

    private static readonly Dictionary<string, WellKnown> WellKnownTypes = new(StringComparer.Ordinal)
    {
        [Meta + ".Time"] = WellKnown.Time,
        [Meta + ".MicroTime"] = WellKnown.MicroTime,
        [Meta + ".Duration"] = WellKnown.Duration,
        [Meta + ".FieldsV1"] = WellKnown.FieldsV1,
        ["k8s.io.apimachinery.pkg.runtime.RawExtension"] = WellKnown.RawExtension,
        ["k8s.io.apimachinery.pkg.util.intstr.IntOrString"] = WellKnown.IntOrString,
        ["k8s.io.apimachinery.pkg.api.resource.Quantity"] = WellKnown.Quantity,
        ["k8s.io.apimachinery.pkg.api.resource.QuantityValue"] = WellKnown.Quantity,
    };

    private static readonly Lazy<ProtoSchema> Embedded = new(LoadEmbedded);

    private readonly Dictionary<string, ProtoMessage> _messages;

    private ProtoSchema(Dictionary<string, ProtoMessage> messages) => _messages = messages;

    /// <summary>The schema embedded in this assembly, parsed on first use.</summary>
    public static ProtoSchema Kubernetes => Embedded.Value;

    public IReadOnlyCollection<ProtoMessage> Messages => _messages.Values;

    public ProtoMessage? Find(string fullName) => _messages.GetValueOrDefault(fullName);

    /// <summary>Whether bodies of this apiVersion (<c>v1</c>, <c>apps/v1</c> ...) can be decoded at all.</summary>
    public static bool Serves(string apiVersion) => Packages.ContainsKey(apiVersion);

    /// <summary>The message of a kind in a served apiVersion, or null when the package has no such message.</summary>
    public ProtoMessage? ForKind(string apiVersion, string kind)
    {
        if (!Packages.TryGetValue(apiVersion, out var package) || kind.Length == 0) return null;
        return Find($"{package}.{kind}") ?? (MetaKinds.Contains(kind) ? Find($"{Meta}.{kind}") : null);
    }

    /// <summary>Parses .proto files and hints; every type reference and every hint must resolve, or this throws.</summary>
    public static ProtoSchema Load(IEnumerable<(string Path, string Text)> files, string hints)
    {
        var messages = new Dictionary<string, ProtoMessage>(StringComparer.Ordinal);
        var enums = new HashSet<string>(StringComparer.Ordinal);
        var owners = new List<(string Package, ProtoMessage Message)>();
        foreach (var (path, text) in files)
        {
            var file = ProtoSchemaParser.Parse(path, text);
            foreach (var e in file.Enums) enums.Add($"{file.Package}.{e}");
            foreach (var (name, fields) in file.Messages)
            {
                var message = new ProtoMessage($"{file.Package}.{name}", fields.ToDictionary(f => f.Number));
                if (!messages.TryAdd(message.FullName, message)) throw new FormatException($"{path}: message {message.FullName} is declared twice");
                message.WellKnown = WellKnownTypes.GetValueOrDefault(message.FullName);
                owners.Add((file.Package, message));
            }
        }
        foreach (var (package, message) in owners)
            foreach (var field in message.Fields.Values.Where(f => f.TypeName is not null))
                Resolve(package, message, field, messages, enums);
        ApplyHints(hints, messages);
        return new ProtoSchema(messages);
    }

    private static void Resolve(string package, ProtoMessage owner, ProtoField field, Dictionary<string, ProtoMessage> messages, HashSet<string> enums)
    {
        var name = field.TypeName!;
        string[] candidates = name.StartsWith('.') ? [name[1..]] : [$"{package}.{name}", name];
        foreach (var candidate in candidates)
        {
            if (messages.TryGetValue(candidate, out var message))
            {
                field.TypeName = candidate;
                field.Message = message;
                return;
            }
            if (enums.Contains(candidate))
            {
                field.TypeName = candidate;
                field.Type = ProtoType.Enum;
                return;
            }
        }
        throw new FormatException($"{owner.FullName}.{field.Name}: type '{name}' is not declared in the vendored .proto files");
    }

    private static void ApplyHints(string hints, Dictionary<string, ProtoMessage> messages)
    {
        foreach (var raw in hints.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 3) throw new FormatException($"json-hints.txt: '{line}' is not 'message field flag'");
            var message = messages.GetValueOrDefault(parts[0]) ?? throw new FormatException($"json-hints.txt: no message {parts[0]}");
            if (parts[2] == "array")
            {
                if (message.Fields.Count != 1 || message.Fields.Values.Single() is not { Name: "items", Label: FieldLabel.Repeated })
                    throw new FormatException($"json-hints.txt: {parts[0]} is not a message of repeated items");
                message.IsArray = true;
                continue;
            }
            var field = message.Fields.Values.FirstOrDefault(f => f.Name == parts[1]) ?? throw new FormatException($"json-hints.txt: no field {parts[0]}.{parts[1]}");
            switch (parts[2])
            {
                case "inline" when field.Message is not null && field.Label == FieldLabel.Optional:
                    field.Inline = true;
                    break;
                case "zero":
                    field.KeepZero = true;
                    break;
                case var flag when flag.StartsWith("json=", StringComparison.Ordinal) && flag.Length > 5:
                    field.JsonName = flag[5..];
                    break;
                default:
                    throw new FormatException($"json-hints.txt: '{parts[2]}' does not apply to {parts[0]}.{parts[1]}");
            }
        }
    }

    private static ProtoSchema LoadEmbedded()
    {
        var assembly = typeof(ProtoSchema).Assembly;
        var files = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".proto", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n => (n[ResourcePrefix.Length..], Read(assembly, n)))
            .ToList();
        if (files.Count == 0) throw new InvalidOperationException("the Kubernetes .proto files are not embedded in the apiserver assembly");
        return Load(files, Read(assembly, ResourcePrefix + "json-hints.txt"));
    }

    private static string Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name) ?? throw new InvalidOperationException($"embedded resource {name} is missing");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
