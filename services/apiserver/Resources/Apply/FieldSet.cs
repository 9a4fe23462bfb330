using System.Text.Json.Nodes;

namespace Platform.ApiServer.Resources.Apply;

/// <summary>
/// A set of field paths in Kubernetes' <c>FieldsV1</c> form: a tree whose edges are path elements — <c>f:spec</c> (a
/// field), <c>k:{"name":"web"}</c> (a list item by its merge key), <c>v:"x"</c> (a member of a set-list) — and whose
/// nodes say whether the path leading to them is itself in the set (<c>"."</c> in FieldsV1). Immutable.
/// </summary>
internal sealed class FieldSet
{
    public static readonly FieldSet Empty = new(false, new SortedDictionary<string, FieldSet>(StringComparer.Ordinal));

    private readonly SortedDictionary<string, FieldSet> _children;

    private FieldSet(bool member, SortedDictionary<string, FieldSet> children)
    {
        Member = member;
        _children = children;
    }

    /// <summary>The path to this node is in the set.</summary>
    public bool Member { get; }

    public bool IsEmpty => !Member && _children.Count == 0;

    public static FieldSet FromPaths(IEnumerable<IReadOnlyList<string>> paths)
    {
        var root = new Builder();
        foreach (var path in paths)
        {
            var node = root;
            foreach (var element in path) node = node.Child(element);
            node.Member = true;
        }
        return root.Build();
    }

    /// <summary>Every member path, depth first.</summary>
    public IEnumerable<IReadOnlyList<string>> Paths() => Walk([]);

    private IEnumerable<IReadOnlyList<string>> Walk(List<string> prefix)
    {
        if (Member && prefix.Count > 0) yield return prefix.ToArray();
        foreach (var (element, child) in _children)
        {
            prefix.Add(element);
            foreach (var p in child.Walk(prefix)) yield return p;
            prefix.RemoveAt(prefix.Count - 1);
        }
    }

    public bool Contains(IReadOnlyList<string> path)
    {
        var node = this;
        foreach (var element in path)
            if (!node._children.TryGetValue(element, out node)) return false;
        return node.Member;
    }

    /// <summary>True when the set has <paramref name="path"/> or anything beneath it.</summary>
    public bool HasNode(IReadOnlyList<string> path)
    {
        var node = this;
        foreach (var element in path)
            if (!node._children.TryGetValue(element, out node)) return false;
        return !node.IsEmpty;
    }

    public FieldSet Union(FieldSet other) => Combine(this, other, (a, b) => a || b, keepLeft: true, keepRight: true);

    public FieldSet Except(FieldSet other) => Combine(this, other, (a, b) => a && !b, keepLeft: true, keepRight: false);

    public FieldSet Intersect(FieldSet other) => Combine(this, other, (a, b) => a && b, keepLeft: false, keepRight: false);

    private static FieldSet Combine(FieldSet left, FieldSet right, Func<bool, bool, bool> member, bool keepLeft, bool keepRight)
    {
        var children = new SortedDictionary<string, FieldSet>(StringComparer.Ordinal);
        foreach (var (element, l) in left._children)
        {
            var combined = right._children.TryGetValue(element, out var r) ? Combine(l, r, member, keepLeft, keepRight) : keepLeft ? l : Empty;
            if (!combined.IsEmpty) children[element] = combined;
        }
        if (keepRight)
            foreach (var (element, r) in right._children)
                if (!left._children.ContainsKey(element) && !r.IsEmpty) children[element] = r;
        return new FieldSet(member(left.Member, right.Member), children);
    }

    /// <summary>The FieldsV1 JSON: <c>{"f:spec":{"f:replicas":{}}}</c>, <c>"."</c> for a member with children.</summary>
    public JsonObject ToFieldsV1()
    {
        var o = new JsonObject();
        if (Member && _children.Count > 0) o["."] = new JsonObject();
        foreach (var (element, child) in _children) o[element] = child.ToFieldsV1();
        return o;
    }

    /// <summary>Reads FieldsV1 (a tree of objects whose leaves are <c>{}</c>); anything else is a <see cref="FormatException"/>.</summary>
    public static FieldSet FromFieldsV1(JsonObject fields)
    {
        var root = Read(fields, 0);
        return new FieldSet(false, root._children);
    }

    /// <summary>A node is a member when it is a leaf (<c>{}</c>) or says so with <c>"."</c>.</summary>
    private static FieldSet Read(JsonObject fields, int depth)
    {
        if (depth > 64) throw new FormatException("fieldsV1 is nested too deeply");
        var children = new SortedDictionary<string, FieldSet>(StringComparer.Ordinal);
        foreach (var (element, value) in fields)
        {
            if (value is not JsonObject child) throw new FormatException($"fieldsV1: \"{element}\" must be an object");
            if (element == ".") continue;
            if (element.Length < 3 || element[1] != ':' || element[0] is not ('f' or 'k' or 'v' or 'i'))
                throw new FormatException($"fieldsV1: \"{element}\" is not a path element (f:, k:, v:, i:)");
            children[element] = Read(child, depth + 1);
        }
        return new FieldSet(fields.Count == 0 || fields.ContainsKey("."), children);
    }

    private sealed class Builder
    {
        private readonly SortedDictionary<string, Builder> _children = new(StringComparer.Ordinal);
        public bool Member;

        public Builder Child(string element)
        {
            if (!_children.TryGetValue(element, out var child)) _children[element] = child = new Builder();
            return child;
        }

        public FieldSet Build()
        {
            var children = new SortedDictionary<string, FieldSet>(StringComparer.Ordinal);
            foreach (var (element, child) in _children) children[element] = child.Build();
            return new FieldSet(Member, children);
        }
    }
}
