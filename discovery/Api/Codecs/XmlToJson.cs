using System.Text.Json.Nodes;
using System.Xml;
using System.Xml.Linq;

namespace Platform.Discovery.Api.Codecs;

/// <summary>
/// Turns an XML Eureka document into the JSON shape Eureka uses for the same data (attributes as <c>@name</c>,
/// text beside attributes as <c>$</c>), so one reader handles both formats.
/// </summary>
internal static class XmlToJson
{
    public static JsonObject Parse(Stream body)
    {
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, MaxCharactersInDocument = 16 * 1024 * 1024 };
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
