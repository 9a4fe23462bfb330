using System.Text.RegularExpressions;
using Platform.Contracts.Resources;

namespace Platform.Contracts.Validation;

/// <summary>The pod's and the containers' <c>securityContext</c>: the shapes Kubernetes accepts. What a namespace allows is Pod Security admission's business, not this.</summary>
public static partial class SecurityContextValidator
{
    private static readonly string[] ProfileTypes = ["RuntimeDefault", "Unconfined", "Localhost"];

    public static void ValidatePod(PodSecurityContext? sc, string path, FieldErrors errors)
    {
        if (sc is null) return;
        Id(sc.RunAsUser, path + ".runAsUser", errors);
        Id(sc.RunAsGroup, path + ".runAsGroup", errors);
        Id(sc.FsGroup, path + ".fsGroup", errors);
        for (var i = 0; i < (sc.SupplementalGroups?.Count ?? 0); i++) Id(sc.SupplementalGroups![i], $"{path}.supplementalGroups[{i}]", errors);
        if (sc.RunAsNonRoot == true && sc.RunAsUser == 0) errors.Invalid(path + ".runAsNonRoot", "may not be true when runAsUser is 0");
        Seccomp(sc.SeccompProfile, path + ".seccompProfile", errors);
        AppArmor(sc.AppArmorProfile, path + ".appArmorProfile", errors);
        var names = new HashSet<string>();
        for (var i = 0; i < (sc.Sysctls?.Count ?? 0); i++)
        {
            var s = sc.Sysctls![i];
            var p = $"{path}.sysctls[{i}]";
            if (s is null) { errors.Required(p); continue; }
            if (string.IsNullOrEmpty(s.Name)) errors.Required(p + ".name");
            else if (s.Name.Length > 253 || !SysctlName().IsMatch(s.Name)) errors.Invalid(p + ".name", $"'{s.Name}' must have at most 253 characters and match the regex {SysctlName()}");
            else if (!names.Add(s.Name)) errors.Invalid(p + ".name", $"duplicate sysctl '{s.Name}'");
            if (s.Value is null) errors.Required(p + ".value");
        }
    }

    public static void ValidateContainer(SecurityContext? sc, string path, FieldErrors errors)
    {
        if (sc is null) return;
        Id(sc.RunAsUser, path + ".runAsUser", errors);
        Id(sc.RunAsGroup, path + ".runAsGroup", errors);
        if (sc.RunAsNonRoot == true && sc.RunAsUser == 0) errors.Invalid(path + ".runAsNonRoot", "may not be true when runAsUser is 0");
        if (sc.ProcMount is { } pm && pm is not ("Default" or "Unmasked")) errors.Invalid(path + ".procMount", $"'{pm}' is not one of Default, Unmasked");
        // Kubernetes' two contradictions: a privileged container, or one with CAP_SYS_ADMIN, can always escalate.
        if (sc.AllowPrivilegeEscalation == false && sc.Privileged == true)
            errors.Invalid(path, "cannot set `allowPrivilegeEscalation` to false and `privileged` to true");
        if (sc.AllowPrivilegeEscalation == false && sc.Capabilities?.Add?.Any(c => c is "SYS_ADMIN" or "CAP_SYS_ADMIN") == true)
            errors.Invalid(path, "cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN");
        foreach (var (list, name) in new[] { (sc.Capabilities?.Add, "add"), (sc.Capabilities?.Drop, "drop") })
            for (var i = 0; i < (list?.Count ?? 0); i++)
                if (string.IsNullOrWhiteSpace(list![i])) errors.Required($"{path}.capabilities.{name}[{i}]");
        Seccomp(sc.SeccompProfile, path + ".seccompProfile", errors);
        AppArmor(sc.AppArmorProfile, path + ".appArmorProfile", errors);
    }

    private static void Id(long? id, string path, FieldErrors errors)
    {
        if (id is < 0 or > int.MaxValue) errors.Invalid(path, "must be between 0 and 2147483647, inclusive");
    }

    private static void Seccomp(SeccompProfile? profile, string path, FieldErrors errors) => Profile(profile?.Type, profile?.LocalhostProfile, profile is null, path, errors, seccomp: true);

    private static void AppArmor(AppArmorProfile? profile, string path, FieldErrors errors) => Profile(profile?.Type, profile?.LocalhostProfile, profile is null, path, errors, seccomp: false);

    private static void Profile(string? type, string? localhost, bool absent, string path, FieldErrors errors, bool seccomp)
    {
        if (absent) return;
        if (string.IsNullOrEmpty(type)) { errors.Required(path + ".type"); return; }
        if (!ProfileTypes.Contains(type)) { errors.Invalid(path + ".type", $"'{type}' is not one of {string.Join(", ", ProfileTypes)}"); return; }
        if (type != "Localhost")
        {
            if (localhost is not null) errors.Invalid(path + ".localhostProfile", "can only be set for type Localhost");
            return;
        }
        if (string.IsNullOrEmpty(localhost)) errors.Required(path + ".localhostProfile");
        // A seccomp profile is a file under the node's seccomp folder; an AppArmor profile is a loaded profile's name.
        else if (seccomp && (localhost.StartsWith('/') || localhost.Split('/').Any(s => s == "..")))
            errors.Invalid(path + ".localhostProfile", "must be a relative path without '..'");
    }

    [GeneratedRegex(@"^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[\./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$")]
    private static partial Regex SysctlName();
}
