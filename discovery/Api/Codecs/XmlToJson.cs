using System.Text.Json.Nodes;
using System.Xml;
using System.Xml.Linq;

namespace Platform.Discovery.Api.Codecs;

/// <summary>
/// Turns an XML Eureka document into the JSON shape Eureka uses for the same data (attributes as <c>@name</c>,
/// text beside attributes as <c>$</c>), so one reader handles both formats. The conversion recurses once per
/// element level, so the depth is checked first with the forward-only reader (no recursion); DTDs are refused.
/// </summary>
internal static class XmlToJson
{
    /// <param name="body">A seekable stream: it is read twice, once to check the depth and once to convert.</param>
    public static JsonObject Parse(Stream body, int maxDepth, long maxCharacters)
    {
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, MaxCharactersInDocument = maxCharacters };
        var start = body.Position;
        using (var scan = XmlReader.Create(body, settings))
        {
            while (scan.Read())
            {
                // Depth counts from 0 at the root element.
                if (scan.NodeType == XmlNodeType.Element && scan.Depth >= maxDepth)
                {
                    var where = scan is IXmlLineInfo info ? $"line {info.LineNumber} position {info.LinePosition}" : "element " + scan.LocalName;
                    throw new BodyTooDeepException(maxDepth, $"<{scan.LocalName}> {where}");
                }
            }
        }
        body.Position = start;
        using var reader = XmlReader.Create(body, settings);
        var root = XElement.Load(reader);
        return new JsonObject { [root.Name.LocalName] = Convert(root) };
    }

    private static JsonNode? Convert(XElement e)
    {
        var children = e.Elements().ToList();
        var attributes = e.Attributes().Where(a => !a.IsNamespaceDeclaration).ToList();
        if (children.Count == 0 && attributes.Count == 0) return JsonValue.Create(e.Value);
        var o = new JsonObject();
        foreach (var a in attributes) o["@" + a.Name.LocalName] = a.Value;
        if (children.Count == 0)
        {
            if (!string.IsNullOrEmpty(e.Value)) o["$"] = e.Value;
            return o;
        }
        foreach (var group in children.GroupBy(c => c.Name.LocalName))
        {
            var items = group.ToList();
            if (items.Count == 1) o[group.Key] = Convert(items[0]);
            else o[group.Key] = new JsonArray(items.Select(Convert).ToArray());
        }
        return o;
    }
}
