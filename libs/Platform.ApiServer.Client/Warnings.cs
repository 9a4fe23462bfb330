using System.Text;

namespace Platform.ApiServer.Client;

/// <summary>The apiserver's <c>Warning: 299 - "text"</c> headers, as kubectl prints them.</summary>
public static class Warnings
{
    /// <summary><c>299 - "text with \"quotes\""</c> → <c>text with "quotes"</c>; anything else unchanged.</summary>
    public static string Unquote(string warning)
    {
        var text = warning.StartsWith("299 - \"", StringComparison.Ordinal) && warning.EndsWith('"') ? warning[7..^1] : warning;
        var sb = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + 1 < text.Length) i++;
            sb.Append(text[i]);
        }
        return sb.ToString();
    }
}
