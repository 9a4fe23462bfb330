using System.Globalization;
using Platform.Contracts.Resources;

namespace Platform.ApiServer.Client.Informers;

/// <summary>client-go's <c>MetaNamespaceKeyFunc</c>: <c>namespace/name</c>, or <c>name</c> for cluster-scoped objects.</summary>
public static class ObjectKeys
{
    public static string KeyOf(Resource r) => KeyOf(r.Metadata.Namespace, r.Metadata.Name ?? "");

    public static string KeyOf(string? ns, string name) => ns is { Length: > 0 } ? $"{ns}/{name}" : name;

    /// <summary><c>metadata.resourceVersion</c> as a number; 0 when absent or not a number.</summary>
    public static long VersionOf(Resource r) =>
        long.TryParse(r.Metadata.ResourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0;

    /// <summary>Splits a key back into namespace (null for cluster-scoped) and name.</summary>
    public static (string? Namespace, string Name) Split(string key) =>
        key.IndexOf('/', StringComparison.Ordinal) is var i and >= 0 ? (key[..i], key[(i + 1)..]) : (null, key);
}
