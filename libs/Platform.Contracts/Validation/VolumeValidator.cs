using Platform.Contracts.Resources;

namespace Platform.Contracts.Validation;

/// <summary>
/// A pod's volumes and its containers' volumeMounts. Volume names become directories on the node and paths become
/// bind mounts, so nothing here may climb out of where it belongs: names are DNS-1123 labels, paths have no
/// <c>..</c> segment, a subPath stays relative (Kubernetes' <c>validatePathNoBacksteps</c> and <c>validateLocalDescendingPath</c>).
/// </summary>
public static class VolumeValidator
{
    private static readonly string[] HostPathTypes = ["", "DirectoryOrCreate", "Directory", "FileOrCreate", "File", "Socket", "CharDevice", "BlockDevice"];

    /// <summary>Validates <c>spec.volumes</c>; returns the names of the valid ones, which volumeMounts must name.</summary>
    public static HashSet<string> ValidateVolumes(List<Volume>? volumes, string path, FieldErrors errors)
    {
        var names = new HashSet<string>();
        for (var i = 0; i < (volumes?.Count ?? 0); i++)
        {
            var v = volumes![i];
            var p = $"{path}[{i}]";
            if (v is null) { errors.Required(p); continue; }
            if (string.IsNullOrEmpty(v.Name)) errors.Required(p + ".name");
            else if (!LabelNames.IsDns1123Label(v.Name)) errors.Invalid(p + ".name", $"'{v.Name}' must be a DNS-1123 label (at most 63 lower-case letters, digits or '-', starting and ending with a letter or digit)");
            else if (!names.Add(v.Name)) errors.Invalid(p + ".name", $"duplicate volume name '{v.Name}'");
            var sources = (v.EmptyDir is null ? 0 : 1) + (v.HostPath is null ? 0 : 1) + (v.ConfigMap is null ? 0 : 1) + (v.Secret is null ? 0 : 1)
                + (v.PersistentVolumeClaim is null ? 0 : 1);
            if (sources != 1) errors.Invalid(p, sources == 0 ? "must specify a volume type: one of emptyDir, hostPath, configMap, secret, persistentVolumeClaim" : "may not specify more than 1 volume type");
            if (v.HostPath is { } hp)
            {
                if (string.IsNullOrEmpty(hp.Path)) errors.Required(p + ".hostPath.path");
                else if (!hp.Path.StartsWith('/')) errors.Invalid(p + ".hostPath.path", "must be an absolute path");
                else if (HasBackstep(hp.Path)) errors.Invalid(p + ".hostPath.path", "must not contain '..'");
                if (hp.Type is { } t && !HostPathTypes.Contains(t)) errors.Invalid(p + ".hostPath.type", $"'{t}' is not one of {string.Join(", ", HostPathTypes.Skip(1))} or empty");
            }
            if (v.EmptyDir is { } ed)
            {
                if (ed.Medium is { Length: > 0 } m && m != "Memory") errors.Invalid(p + ".emptyDir.medium", $"'{m}' is not one of \"\", Memory");
                if (ed.SizeLimit is { } size && (!Quantity.TryParse(size, out var q) || q < 0)) errors.Invalid(p + ".emptyDir.sizeLimit", $"'{size}' is not a quantity >= 0");
            }
            if (v.ConfigMap is { Name: null or "" }) errors.Required(p + ".configMap.name");
            if (v.Secret is { SecretName: null or "" }) errors.Required(p + ".secret.secretName");
            if (v.PersistentVolumeClaim is { } claim && string.IsNullOrEmpty(claim.ClaimName)) errors.Required(p + ".persistentVolumeClaim.claimName");
            else if (v.PersistentVolumeClaim is { ClaimName: { } cn } && !LabelNames.IsDns1123Subdomain(cn)) errors.Invalid(p + ".persistentVolumeClaim.claimName", $"'{cn}' must be a DNS-1123 subdomain");
        }
        return names;
    }

    /// <summary>Validates a container's <c>volumeMounts</c> against the pod's volume names.</summary>
    public static void ValidateMounts(List<VolumeMount>? mounts, HashSet<string> volumes, string path, FieldErrors errors)
    {
        var mountPaths = new HashSet<string>();
        for (var i = 0; i < (mounts?.Count ?? 0); i++)
        {
            var m = mounts![i];
            var p = $"{path}[{i}]";
            if (m is null) { errors.Required(p); continue; }
            if (string.IsNullOrEmpty(m.Name)) errors.Required(p + ".name");
            else if (!volumes.Contains(m.Name)) errors.Invalid(p + ".name", $"'{m.Name}' is not the name of a volume of the pod");
            if (string.IsNullOrEmpty(m.MountPath)) errors.Required(p + ".mountPath");
            else if (!m.MountPath.StartsWith('/')) errors.Invalid(p + ".mountPath", "must be an absolute path");
            else if (HasBackstep(m.MountPath)) errors.Invalid(p + ".mountPath", "must not contain '..'");
            else if (m.MountPath.Contains(':')) errors.Invalid(p + ".mountPath", "must not contain ':'");
            else if (!mountPaths.Add(m.MountPath.TrimEnd('/'))) errors.Invalid(p + ".mountPath", $"'{m.MountPath}' must be unique");
            if (m.SubPath is { Length: > 0 } sub)
            {
                if (sub.StartsWith('/')) errors.Invalid(p + ".subPath", "must be a relative path");
                else if (HasBackstep(sub)) errors.Invalid(p + ".subPath", "must not contain '..'");
            }
        }
    }

    /// <summary>A <c>..</c> path segment; a name like <c>a..b</c> is fine, as in Kubernetes.</summary>
    private static bool HasBackstep(string path) => path.Split('/', '\\').Any(s => s == "..");
}
