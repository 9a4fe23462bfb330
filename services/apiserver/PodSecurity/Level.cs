namespace Platform.ApiServer.PodSecurity;

/// <summary>The Pod Security Standards' levels, from the most permissive to the strictest (the order compares).</summary>
internal enum Level
{
    /// <summary>Unrestricted.</summary>
    Privileged,
    /// <summary>Prevents known privilege escalations: no host namespaces, hostPath, host ports, privileged containers, extra capabilities ...</summary>
    Baseline,
    /// <summary>Baseline plus hardening: non-root, no privilege escalation, capabilities dropped, seccomp, only the restricted volume types.</summary>
    Restricted,
}
