using System.Text.Json.Nodes;
using Platform.Contracts.Resources;

namespace Platform.Manifests.Printing;

/// <summary>kubectl's columns for PersistentVolumes, PersistentVolumeClaims and StorageClasses.</summary>
internal static class StorageColumns
{
    public static (string[] Headers, Func<JsonObject, string[]> Row)? For(ResourceKind kind, bool wide, Func<JsonObject, string> age)
    {
        static string S(JsonNode? n) => n?.ToString() ?? "";
        static string Name(JsonObject o) => S(o["metadata"]?["name"]);
        string[] Wide(string[] headers) => wide ? [.. headers, "VOLUMEMODE"] : headers;
        string[] WideRow(JsonObject o, string[] row) => wide ? [.. row, S(o["spec"]?["volumeMode"]) is { Length: > 0 } m ? m : "Filesystem"] : row;

        if (kind == ResourceKinds.PersistentVolume)
            return (Wide(["NAME", "CAPACITY", "ACCESS MODES", "RECLAIM POLICY", "STATUS", "CLAIM", "STORAGECLASS", "VOLUMEATTRIBUTESCLASS", "REASON", "AGE"]), o =>
            {
                var spec = o["spec"];
                var claim = spec?["claimRef"] is { } c ? $"{S(c["namespace"])}/{S(c["name"])}" : "";
                var status = o["metadata"]?["deletionTimestamp"] is null ? S(o["status"]?["phase"]) : "Terminating";
                return WideRow(o, [Name(o), S(spec?["capacity"]?["storage"]), AccessModes(spec?["accessModes"]), S(spec?["persistentVolumeReclaimPolicy"]),
                    status, claim, S(spec?["storageClassName"]), "<unset>", S(o["status"]?["reason"]), age(o)]);
            });
        if (kind == ResourceKinds.PersistentVolumeClaim)
            return (Wide(["NAME", "STATUS", "VOLUME", "CAPACITY", "ACCESS MODES", "STORAGECLASS", "VOLUMEATTRIBUTESCLASS", "AGE"]), o =>
            {
                var bound = S(o["status"]?["phase"]) == "Bound";
                var status = o["metadata"]?["deletionTimestamp"] is null ? S(o["status"]?["phase"]) : "Terminating";
                return WideRow(o, [Name(o), status, S(o["spec"]?["volumeName"]), bound ? S(o["status"]?["capacity"]?["storage"]) : "",
                    bound ? AccessModes(o["status"]?["accessModes"]) : "", S(o["spec"]?["storageClassName"]), "<unset>", age(o)]);
            });
        if (kind == ResourceKinds.StorageClass)
            return (["NAME", "PROVISIONER", "RECLAIMPOLICY", "VOLUMEBINDINGMODE", "ALLOWVOLUMEEXPANSION", "AGE"], o =>
            {
                var isDefault = string.Equals(S(o["metadata"]?["annotations"]?[StorageClass.DefaultClassAnnotation]), "true", StringComparison.OrdinalIgnoreCase);
                return [Name(o) + (isDefault ? " (default)" : ""), S(o["provisioner"]), S(o["reclaimPolicy"]) is { Length: > 0 } r ? r : "Delete",
                    S(o["volumeBindingMode"]) is { Length: > 0 } m ? m : "Immediate", o["allowVolumeExpansion"] is { } e && (bool)e ? "true" : "false", age(o)];
            });
        return null;
    }

    /// <summary>kubectl's short access modes: RWO, ROX, RWX, RWOP.</summary>
    private static string AccessModes(JsonNode? modes) => string.Join(",", (modes as JsonArray ?? []).Select(m => m?.ToString() switch
    {
        "ReadWriteOnce" => "RWO",
        "ReadOnlyMany" => "ROX",
        "ReadWriteMany" => "RWX",
        "ReadWriteOncePod" => "RWOP",
        var other => other,
    }));
}
