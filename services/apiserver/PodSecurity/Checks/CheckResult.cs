namespace Platform.ApiServer.PodSecurity.Checks;

/// <summary>A check's finding: the reason (<c>hostPath volumes</c>) and the detail (<c>volume "host"</c>) Kubernetes prints.</summary>
internal sealed record CheckResult(string Reason, string Detail);
