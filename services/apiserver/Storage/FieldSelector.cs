namespace Platform.ApiServer.Storage;

/// <summary>
/// <c>?fieldSelector=spec.nodeName=node-1,status.phase!=Running</c>: requirements on a few indexed fields,
/// ANDed. Operators <c>=</c>, <c>==</c>, <c>!=</c>.
/// </summary>
internal sealed record FieldSelector(IReadOnlyList<FieldRequirement> Requirements)
{
    public static readonly IReadOnlySet<string> Supported = new HashSet<string>
    {
        "metadata.name", "metadata.namespace", "spec.nodeName", "status.phase",
        "involvedObject.name", "involvedObject.kind", "involvedObject.uid",
    };

    public static FieldSelector Empty { get; } = new([]);

    /// <summary>Parses or throws <see cref="FormatException"/> naming the bad clause.</summary>
    public static FieldSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return Empty;
        if (text.Length > 4096) throw new FormatException("longer than 4096 characters");
        var list = new List<FieldRequirement>();
        foreach (var raw in text.Split(','))
        {
            var clause = raw.Trim();
            var (op, at, len) = clause.IndexOf("!=", StringComparison.Ordinal) is >= 0 and var ne ? (false, ne, 2)
                : clause.IndexOf("==", StringComparison.Ordinal) is >= 0 and var ee ? (true, ee, 2)
                : clause.IndexOf('=') is >= 0 and var e ? (true, e, 1)
                : throw new FormatException($"'{clause}' has no operator (=, ==, !=)");
            var field = clause[..at].Trim();
            if (!Supported.Contains(field))
                throw new FormatException($"field label not supported: '{field}' (supported: {string.Join(", ", Supported)})");
            var value = clause[(at + len)..].Trim();
            // No field value holds one, and Postgres refuses a NUL in text: a 400 here rather than a 500 there.
            if (value.Any(char.IsControl)) throw new FormatException($"'{field}': the value holds a control character");
            list.Add(new FieldRequirement(field, op, value));
        }
        return new FieldSelector(list);
    }

    /// <summary>Whether <paramref name="body"/> satisfies every requirement (watch filtering, where SQL does not apply).</summary>
    public bool Matches(System.Text.Json.Nodes.JsonObject body) => Requirements.All(r =>
    {
        var value = r.Field switch
        {
            "metadata.name" => (string?)body["metadata"]?["name"],
            "metadata.namespace" => (string?)body["metadata"]?["namespace"],
            "spec.nodeName" => (string?)body["spec"]?["nodeName"],
            "status.phase" => (string?)body["status"]?["phase"],
            "involvedObject.name" => (string?)body["involvedObject"]?["name"],
            "involvedObject.kind" => (string?)body["involvedObject"]?["kind"],
            _ => (string?)body["involvedObject"]?["uid"],
        } ?? "";
        return (value == r.Value) == r.Equal;
    });

    /// <summary>The required value of <paramref name="field"/> when the selector pins it with '=', else null.</summary>
    public string? EqualityValue(string field) => Requirements.FirstOrDefault(r => r.Field == field && r.Equal)?.Value;
}
