using System.Globalization;

namespace Platform.ApiServer.Protobuf;

/// <summary>
/// Parses the subset of proto2 that Kubernetes' go-to-protobuf writes: <c>syntax</c>, <c>package</c>, <c>import</c>,
/// <c>option</c>, top-level <c>message</c> and <c>enum</c>, <c>optional|required|repeated</c> and <c>map&lt;K, V&gt;</c>
/// fields (field options and <c>reserved</c> are read and ignored). Anything else is an error naming its line, so a
/// vendored file the decoder cannot honour fails the schema tests instead of decoding wrongly.
/// </summary>
internal sealed class ProtoSchemaParser
{
    private static readonly Dictionary<string, ProtoType> Scalars = new(StringComparer.Ordinal)
    {
        ["double"] = ProtoType.Double, ["float"] = ProtoType.Float, ["int32"] = ProtoType.Int32, ["int64"] = ProtoType.Int64,
        ["uint32"] = ProtoType.UInt32, ["uint64"] = ProtoType.UInt64, ["sint32"] = ProtoType.SInt32, ["sint64"] = ProtoType.SInt64,
        ["fixed32"] = ProtoType.Fixed32, ["fixed64"] = ProtoType.Fixed64, ["sfixed32"] = ProtoType.SFixed32, ["sfixed64"] = ProtoType.SFixed64,
        ["bool"] = ProtoType.Bool, ["string"] = ProtoType.String, ["bytes"] = ProtoType.Bytes,
    };

    private readonly string _file;
    private readonly List<(string Text, int Line)> _tokens;
    private int _at;

    private ProtoSchemaParser(string file, string text)
    {
        _file = file;
        _tokens = Tokenize(file, text);
    }

    public static ProtoFile Parse(string file, string text) => new ProtoSchemaParser(file, text).ParseFile();

    private ProtoFile ParseFile()
    {
        string? package = null;
        var imports = new List<string>();
        var messages = new List<(string, List<ProtoField>)>();
        var enums = new List<string>();
        while (_at < _tokens.Count)
        {
            switch (Next())
            {
                case "syntax":
                    Expect("=");
                    var syntax = ReadString();
                    if (syntax != "proto2") throw Error($"syntax \"{syntax}\": only proto2 is read");
                    Expect(";");
                    break;
                case "package":
                    package = ReadIdentifier();
                    Expect(";");
                    break;
                case "import":
                    if (Peek() is "public" or "weak") Next();
                    imports.Add(ReadString());
                    Expect(";");
                    break;
                case "option":
                    SkipTo(";");
                    break;
                case "message":
                    messages.Add(ParseMessage());
                    break;
                case "enum":
                    enums.Add(ParseEnum());
                    break;
                case var other:
                    throw Error($"unexpected '{other}' at the top level");
            }
        }
        return new ProtoFile(package ?? throw Error("no package declared"), imports, messages, enums);
    }

    private (string, List<ProtoField>) ParseMessage()
    {
        var name = ReadIdentifier();
        Expect("{");
        var fields = new List<ProtoField>();
        while (Peek() != "}")
        {
            var word = Next();
            switch (word)
            {
                case "optional" or "required" or "repeated":
                    var typeName = ReadIdentifier();
                    var label = word == "repeated" ? FieldLabel.Repeated : FieldLabel.Optional;
                    fields.Add(Field(label, typeName, keyType: ProtoType.String));
                    break;
                case "map":
                    Expect("<");
                    var key = ReadIdentifier();
                    if (!Scalars.TryGetValue(key, out var keyType) || keyType is ProtoType.Double or ProtoType.Float or ProtoType.Bytes)
                        throw Error($"map key type '{key}' is not a valid key type");
                    Expect(",");
                    var value = ReadIdentifier();
                    Expect(">");
                    fields.Add(Field(FieldLabel.Map, value, keyType));
                    break;
                case "reserved" or "option":
                    SkipTo(";");
                    break;
                case ";":
                    break;
                default:
                    throw Error($"'{word}' in message {name}: only optional, required, repeated and map fields are read");
            }
        }
        Expect("}");
        if (fields.GroupBy(f => f.Number).FirstOrDefault(g => g.Count() > 1) is { } duplicate)
            throw Error($"message {name} declares field number {duplicate.Key} twice");
        return (name, fields);
    }

    private ProtoField Field(FieldLabel label, string typeName, ProtoType keyType)
    {
        var name = ReadIdentifier();
        Expect("=");
        var number = ReadNumber();
        if (number is < 1 or > 536_870_911) throw Error($"field {name}: number {number} is outside 1..2^29-1");
        if (Peek() == "[") SkipTo("]");
        Expect(";");
        return Scalars.TryGetValue(typeName, out var scalar)
            ? new ProtoField(number, name, label, scalar, null, keyType)
            : new ProtoField(number, name, label, ProtoType.Message, typeName, keyType);
    }

    private string ParseEnum()
    {
        var name = ReadIdentifier();
        Expect("{");
        while (Peek() != "}") SkipTo(";");
        Expect("}");
        return name;
    }

    private string Next() => _at < _tokens.Count ? _tokens[_at++].Text : throw Error("unexpected end of file");

    private string? Peek() => _at < _tokens.Count ? _tokens[_at].Text : null;

    private void Expect(string token)
    {
        var got = Next();
        if (got != token) throw Error($"expected '{token}', found '{got}'");
    }

    private void SkipTo(string token)
    {
        while (Next() != token) { }
    }

    private string ReadIdentifier()
    {
        var token = Next();
        return char.IsLetter(token[0]) || token[0] is '_' or '.' ? token : throw Error($"expected a name, found '{token}'");
    }

    private int ReadNumber()
    {
        var token = Next();
        return int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : throw Error($"expected a field number, found '{token}'");
    }

    private string ReadString()
    {
        var token = Next();
        return token.Length >= 2 && token[0] == '"' ? token[1..^1] : throw Error($"expected a string, found '{token}'");
    }

    private FormatException Error(string message)
    {
        var line = _at == 0 ? 1 : _tokens[Math.Min(_at, _tokens.Count) - 1].Line;
        return new FormatException($"{_file}:{line}: {message}");
    }

    private static List<(string, int)> Tokenize(string file, string text)
    {
        var tokens = new List<(string, int)>();
        var line = 1;
        for (var i = 0; i < text.Length;)
        {
            var c = text[i];
            if (c == '\n') { line++; i++; }
            else if (char.IsWhiteSpace(c)) i++;
            else if (c == '/' && i + 1 < text.Length && text[i + 1] == '/')
                while (i < text.Length && text[i] != '\n') i++;
            else if (c == '/' && i + 1 < text.Length && text[i + 1] == '*')
            {
                var end = text.IndexOf("*/", i + 2, StringComparison.Ordinal);
                if (end < 0) throw new FormatException($"{file}:{line}: unterminated comment");
                line += text.AsSpan(i, end - i).Count('\n');
                i = end + 2;
            }
            else if (c == '"')
            {
                var end = text.IndexOf('"', i + 1);
                if (end < 0) throw new FormatException($"{file}:{line}: unterminated string");
                tokens.Add((text[i..(end + 1)], line));
                i = end + 1;
            }
            else if (char.IsLetterOrDigit(c) || c is '_' or '.')
            {
                var start = i;
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] is '_' or '.')) i++;
                tokens.Add((text[start..i], line));
            }
            else if ("{};=<>,[]()-".Contains(c, StringComparison.Ordinal))
            {
                tokens.Add((c.ToString(), line));
                i++;
            }
            else throw new FormatException($"{file}:{line}: unexpected character '{c}'");
        }
        return tokens;
    }
}
