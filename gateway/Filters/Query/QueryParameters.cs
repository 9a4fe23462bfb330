using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Platform.Gateway.Filters.Query;

/// <summary>Edits a query string by decoded parameter name, keeping the other parameters as the client encoded them.</summary>
internal static class QueryParameters
{
    /// <summary>The query without every <paramref name="name"/> parameter (names compare as Spring's: case-sensitive).</summary>
    public static QueryString Without(QueryString query, string name, out bool found)
    {
        found = false;
        if (!query.HasValue) return query;
        var kept = new StringBuilder();
        foreach (var pair in new QueryStringEnumerable(query.Value))
        {
            if (pair.DecodeName().Span.SequenceEqual(name))
            {
                found = true;
                continue;
            }
            kept.Append(kept.Length == 0 ? '?' : '&').Append(pair.EncodedName.Span);
            if (!pair.EncodedValue.IsEmpty) kept.Append('=').Append(pair.EncodedValue.Span);
        }
        return found ? new QueryString(kept.Length == 0 ? null : kept.ToString()) : query;
    }
}
