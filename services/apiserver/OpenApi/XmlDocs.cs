using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;

namespace Platform.ApiServer.OpenApi;

/// <summary>
/// The <c>///</c> summaries of an assembly's types and properties, read from the XML documentation file the compiler
/// writes beside it, as plain text: what <c>kubectl explain</c> prints as a field's description. A missing file
/// means no descriptions, never a failure.
/// </summary>
internal sealed partial class XmlDocs
{
    private readonly Dictionary<string, string> _summaries;

    private XmlDocs(Dictionary<string, string> summaries) => _summaries = summaries;

    public static XmlDocs For(Assembly assembly)
    {
        var path = Path.ChangeExtension(assembly.Location, ".xml");
        if (string.IsNullOrEmpty(assembly.Location) || !File.Exists(path)) return new XmlDocs([]);
        using var reader = XmlReader.Create(path, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
        var summaries = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var member in XDocument.Load(reader).Descendants("member"))
        {
            if (member.Attribute("name")?.Value is { } name && member.Element("summary") is { } summary)
                summaries[name] = PlainText(summary);
        }
        return new XmlDocs(summaries);
    }

    public string? Type(Type type) => _summaries.GetValueOrDefault("T:" + type.FullName?.Replace('+', '.'));

    public string? Property(PropertyInfo property) =>
        _summaries.GetValueOrDefault($"P:{property.DeclaringType?.FullName?.Replace('+', '.')}.{property.Name}");

    /// <summary><c>&lt;c&gt;x&lt;/c&gt;</c> becomes <c>x</c>, <c>&lt;see cref="T:A.B"/&gt;</c> becomes <c>B</c>, whitespace runs one space.</summary>
    private static string PlainText(XElement summary)
    {
        var text = new StringBuilder();
        foreach (var node in summary.Nodes())
        {
            text.Append(node switch
            {
                XText t => t.Value,
                XElement { Name.LocalName: "see" or "seealso" } e =>
                    e.Attribute("langword")?.Value ?? e.Attribute("cref")?.Value.Split('.', ':')[^1] ?? e.Value,
                XElement { Name.LocalName: "paramref" or "typeparamref" } e => e.Attribute("name")?.Value,
                XElement e => e.Value,
                _ => "",
            });
        }
        return Whitespace().Replace(text.ToString(), " ").Trim();
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
