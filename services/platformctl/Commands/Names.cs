using Platform.Contracts.Resources;

namespace Platform.Ctl.Commands;

/// <summary>kubectl's <c>kind.group/name</c> spelling of an object: <c>pod/web</c>, <c>deployment.apps/web</c>.</summary>
public static class Names
{
    public static string Of(ResourceKind kind, string name) =>
        $"{kind.Kind.ToLowerInvariant()}{(kind.Group.Length > 0 ? "." + kind.Group : "")}/{name}";

    public static ResourceKind Kind(string text) =>
        ResourceKinds.Find(text) ?? throw new CtlException($"the server doesn't have a resource type \"{text}\" (known: {string.Join(", ", ResourceKinds.All.Select(k => k.Plural))})");
}
