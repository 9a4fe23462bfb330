using System.Text;
using System.Xml.Linq;

namespace Platform.Testing.Fuzz;

/// <summary>Mutations of XML and YAML bodies.</summary>
public sealed partial class Mutator
{
    /// <summary>
    /// A mutated copy of <paramref name="xml"/> as bytes: element values replaced, elements removed or repeated, huge
    /// text, or in the text: truncation, a DTD with entities, deep nesting, characters XML forbids, invalid UTF-8.
    /// </summary>
    public byte[] XmlBody(string xml) => _rng.Next(11) switch
    {
        <= 3 => Encoding.UTF8.GetBytes(MutateXmlTree(xml)),
        4 => Encoding.UTF8.GetBytes(Truncate(xml)),
        5 => Encoding.UTF8.GetBytes(Pick(
            "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>",
            "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]>")
            + xml.Replace("</", "&c;&x;</", StringComparison.Ordinal)),
        6 => Encoding.UTF8.GetBytes(DeepXml(_rng.Next(65, 20_000))),
        7 => Encoding.UTF8.GetBytes(xml.Replace("><", ">" + Pick("&#0;", "&#x1;", "\u0001", "&undefined;", "<![CDATA[", "<!--", "&", "<") + "<", StringComparison.Ordinal)),
        8 => InvalidUtf8(xml),
        9 => Encoding.UTF8.GetBytes(Pick("<?xml version=\"1.0\" encoding=\"utf-16\"?>", "<?xml version=\"9.9\"?>", "\ufeff\ufeff", "<a/>", "<!-- only a comment -->") + xml),
        _ => RandomBytes(),
    };

    /// <summary>1 to 3 edits in the parsed tree: an element's text replaced or emptied, an element removed or repeated.</summary>
    public string MutateXmlTree(string xml)
    {
        var doc = XDocument.Parse(xml);
        var elements = doc.Descendants().ToList();
        var edits = _rng.Next(1, 4);
        for (var i = 0; i < edits && elements.Count > 1; i++)
        {
            var e = elements[_rng.Next(1, elements.Count)];
            if (e.Parent is null) continue;
            switch (_rng.Next(6))
            {
                case 0: e.Remove(); elements.Remove(e); break;
                case 1: e.AddAfterSelf(new XElement(e)); break;
                case 2: e.SetAttributeValue(XmlSafe(Pick("enabled", "class", "x", "nil")), XmlSafe(WeirdScalar())); break;
                case 3: e.ReplaceNodes(new XElement(e.Name, XmlSafe(WeirdScalar()))); break;
                default: e.Value = XmlSafe(e.HasElements ? WeirdScalar() : MutateText(e.Value)); break;
            }
        }
        return doc.ToString(SaveOptions.DisableFormatting);
    }

    /// <summary>Drops the characters XML 1.0 cannot carry at all, so the tree mutations still serialize.</summary>
    private static string XmlSafe(string s) => new([.. s.Where(c => c is '\t' or '\n' or '\r' || c >= 0x20 && c is not ('\ufffe' or '\uffff') && !char.IsSurrogate(c))]);

    public static string DeepXml(int depth) => string.Concat(Enumerable.Repeat("<a>", depth)) + "x" + string.Concat(Enumerable.Repeat("</a>", depth));

    private static readonly string[] BrokenYamls =
    [
        "a:\n\tb: tab-indented\n", "a: &x [1, 2]\nb: *x\n", "a: [1, 2\nb: c\n", "- just\n- a list\n", "just a scalar", "a: 1\n---\nb: 2\n",
        "a: {b: 1, b: 2}\n", "key: \"unterminated\n", "a: !!binary ~~~\n", "a: *undefined\n", "? [complex, key]\n: v\n", "%YAML 9.9\n---\na: 1\n",
        "a: &a [*a]\n", "a:\n  - b\n c: d\n", "'a': 'b\n",
    ];

    /// <summary>YAML a strict parser refuses or a naive one misreads: tabs, anchors and aliases, duplicate keys, directives.</summary>
    public string BrokenYaml() => OneIn(5)
        ? "a: " + new string('[', _rng.Next(65, 3000)) + "1" + new string(']', 10)
        : Pick(BrokenYamls);
}
