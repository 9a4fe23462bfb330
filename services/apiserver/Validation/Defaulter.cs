using System.Text;
using Platform.Contracts.Resources;

namespace Platform.ApiServer.Validation;

/// <summary>Kubernetes' defaults, applied before validation so stored objects are complete.</summary>
internal static class Defaulter
{
    public static Resource Apply(Resource r) => r switch
    {
        Pod p => p with { Spec = RequestsFromLimits(DefaultPodSpec(p.Spec)) },
        ReplicaSet rs => rs with
        {
            Spec = rs.Spec is null ? new() : rs.Spec with { Replicas = rs.Spec.Replicas ?? 1, Template = DefaultTemplate(rs.Spec.Template, rs.Spec.Selector) },
        },
        Deployment d => d with
        {
            Spec = d.Spec is null ? new() : d.Spec with
            {
                Replicas = d.Spec.Replicas ?? 1,
                RevisionHistoryLimit = d.Spec.RevisionHistoryLimit ?? 10,
                ProgressDeadlineSeconds = d.Spec.ProgressDeadlineSeconds ?? 600,
                Template = DefaultTemplate(d.Spec.Template, d.Spec.Selector),
                Strategy = DefaultStrategy(d.Spec.Strategy),
            },
        },
        Job job => JobDefaults.Apply(job),
        CronJob cj => JobDefaults.Apply(cj),
        DaemonSet ds => ds with { Spec = DefaultDaemonSet(ds.Spec) },
        StatefulSet sts => sts with { Spec = DefaultStatefulSet(sts.Spec) },
        HorizontalPodAutoscaler hpa => HorizontalPodAutoscalerDefaults.Apply(hpa),
        Service s => s with { Spec = DefaultServiceSpec(s.Spec) },
        Secret sec => DefaultSecret(sec),
        Event e => e with { Type = e.Type ?? "Normal", Count = e.Count ?? 1 },
        PersistentVolume pv => pv with
        {
            Spec = pv.Spec with { PersistentVolumeReclaimPolicy = pv.Spec.PersistentVolumeReclaimPolicy ?? "Retain", VolumeMode = pv.Spec.VolumeMode ?? "Filesystem" },
            Status = (pv.Status ?? new()) with { Phase = pv.Status?.Phase ?? "Pending" },
        },
        PersistentVolumeClaim pvc => pvc with
        {
            Spec = pvc.Spec with { VolumeMode = pvc.Spec.VolumeMode ?? "Filesystem" },
            Status = (pvc.Status ?? new()) with { Phase = pvc.Status?.Phase ?? "Pending" },
        },
        StorageClass sc => sc with { ReclaimPolicy = sc.ReclaimPolicy ?? "Delete", VolumeBindingMode = sc.VolumeBindingMode ?? "Immediate" },
        PriorityClass pc => pc with { PreemptionPolicy = pc.PreemptionPolicy ?? PriorityClass.PreemptLowerPriority },
        LimitRange lr => lr with { Spec = lr.Spec with { Limits = lr.Spec.Limits?.Select(DefaultLimitRangeItem).ToList() } },
        _ => r,
    };

    /// <summary>Kubernetes' SetDefaults_Service: type, affinity and its timeout, traffic policies, IP family, port protocol and target.</summary>
    private static ServiceSpec DefaultServiceSpec(ServiceSpec? spec)
    {
        if (spec is null) return new();
        var type = spec.Type ?? "ClusterIP";
        var affinity = spec.SessionAffinity ?? "None";
        var external = type == "ExternalName";
        return spec with
        {
            Type = type,
            SessionAffinity = affinity,
            SessionAffinityConfig = affinity == "ClientIP" && spec.SessionAffinityConfig?.ClientIP?.TimeoutSeconds is null
                ? new SessionAffinityConfig { ClientIP = new ClientIPConfig { TimeoutSeconds = 10800 } }
                : spec.SessionAffinityConfig,
            ClusterIPs = spec.ClusterIPs is { Count: > 0 } || string.IsNullOrEmpty(spec.ClusterIP) ? spec.ClusterIPs : [spec.ClusterIP],
            ClusterIP = string.IsNullOrEmpty(spec.ClusterIP) && spec.ClusterIPs is { Count: > 0 } ips ? ips[0] : spec.ClusterIP,
            IpFamilies = external ? spec.IpFamilies : spec.IpFamilies is { Count: > 0 } ? spec.IpFamilies : ["IPv4"],
            IpFamilyPolicy = external ? spec.IpFamilyPolicy : spec.IpFamilyPolicy ?? "SingleStack",
            ExternalTrafficPolicy = type is "NodePort" or "LoadBalancer" ? spec.ExternalTrafficPolicy ?? "Cluster" : spec.ExternalTrafficPolicy,
            InternalTrafficPolicy = external ? spec.InternalTrafficPolicy : spec.InternalTrafficPolicy ?? "Cluster",
            Ports = spec.Ports?.Select(p => p is null ? p! : p with { Protocol = p.Protocol ?? "TCP", TargetPort = p.TargetPort ?? p.Port }).ToList(),
        };
    }

    /// <summary>
    /// A pod's container with a limit but no request for a resource requests its limit (Kubernetes' SetDefaults_Pod;
    /// not for templates, so a LimitRange's defaultRequest still applies to the pods a template makes).
    /// </summary>
    private static PodSpec RequestsFromLimits(PodSpec spec)
    {
        if (spec is null) return spec!;
        static Container Fill(Container c)
        {
            if (c?.Resources?.Limits is not { Count: > 0 } limits) return c!;
            var requests = new ResourceList(c.Resources.Requests ?? new ResourceList());
            foreach (var (k, v) in limits) requests.TryAdd(k, v);
            return c with { Resources = c.Resources with { Requests = requests } };
        }
        return spec with { Containers = spec.Containers?.Select(Fill).ToList()!, InitContainers = spec.InitContainers?.Select(Fill).ToList() };
    }

    /// <summary>
    /// Kubernetes' SetDefaults_LimitRangeItem for containers: the default limit is the max, the default request the
    /// default limit, else the min.
    /// </summary>
    private static LimitRangeItem DefaultLimitRangeItem(LimitRangeItem item)
    {
        if (item?.Type != "Container") return item!;
        var limits = new ResourceList(item.Default ?? new ResourceList());
        foreach (var (k, v) in item.Max ?? []) limits.TryAdd(k, v);
        var requests = new ResourceList(item.DefaultRequest ?? new ResourceList());
        foreach (var (k, v) in limits) requests.TryAdd(k, v);
        foreach (var (k, v) in item.Min ?? []) requests.TryAdd(k, v);
        return item with { Default = limits.Count == 0 ? item.Default : limits, DefaultRequest = requests.Count == 0 ? item.DefaultRequest : requests };
    }

    private static PodSpec DefaultPodSpec(PodSpec? spec)
    {
        if (spec is null) return null!;
        return spec with
        {
            RestartPolicy = spec.RestartPolicy ?? "Always",
            TerminationGracePeriodSeconds = spec.TerminationGracePeriodSeconds ?? 30,
            SchedulerName = spec.SchedulerName ?? "default-scheduler",
            Containers = spec.Containers?.Select(DefaultContainer).ToList()!,
            InitContainers = spec.InitContainers?.Select(DefaultContainer).ToList(),
        };
    }

    private static Container DefaultContainer(Container c)
    {
        if (c is null) return c!;
        var latest = c.Image is { } img && (!img.Contains(':', StringComparison.Ordinal) || img.EndsWith(":latest", StringComparison.Ordinal));
        return c with
        {
            ImagePullPolicy = c.ImagePullPolicy ?? (latest ? "Always" : "IfNotPresent"),
            Ports = c.Ports?.Select(p => p is null ? p! : p with { Protocol = p.Protocol ?? "TCP" }).ToList(),
            LivenessProbe = DefaultProbe(c.LivenessProbe),
            ReadinessProbe = DefaultProbe(c.ReadinessProbe),
            StartupProbe = DefaultProbe(c.StartupProbe),
        };
    }

    private static Probe? DefaultProbe(Probe? p) => p is null ? null : p with
    {
        PeriodSeconds = p.PeriodSeconds ?? 10,
        TimeoutSeconds = p.TimeoutSeconds ?? 1,
        SuccessThreshold = p.SuccessThreshold ?? 1,
        FailureThreshold = p.FailureThreshold ?? 3,
        InitialDelaySeconds = p.InitialDelaySeconds ?? 0,
        HttpGet = p.HttpGet is null ? null : p.HttpGet with { Path = p.HttpGet.Path ?? "/", Scheme = p.HttpGet.Scheme ?? "HTTP" },
    };

    /// <summary>
    /// A template without labels takes the selector's matchLabels (so the seed documents' ReplicaSet, whose template
    /// has none, applies as written); a template with labels must match the selector as in Kubernetes.
    /// </summary>
    internal static PodTemplateSpec? DefaultTemplate(PodTemplateSpec? t, LabelSelector? selector)
    {
        if (t is null) return null;
        var meta = t.Metadata ?? new ObjectMeta();
        if ((meta.Labels is null || meta.Labels.Count == 0) && selector?.MatchLabels is { Count: > 0 } ml)
            meta = meta with { Labels = new Dictionary<string, string>(ml) };
        var spec = DefaultPodSpec(t.Spec);
        return t with { Metadata = meta, Spec = spec };
    }

    private static DeploymentStrategy DefaultStrategy(DeploymentStrategy? s)
    {
        var type = s?.Type ?? "RollingUpdate";
        if (type != "RollingUpdate") return new DeploymentStrategy { Type = type, RollingUpdate = s?.RollingUpdate };
        var ru = s?.RollingUpdate ?? new RollingUpdateDeployment();
        return new DeploymentStrategy { Type = type, RollingUpdate = ru with { MaxSurge = ru.MaxSurge ?? "25%", MaxUnavailable = ru.MaxUnavailable ?? "25%" } };
    }

    /// <summary>Kubernetes' SetDefaults_DaemonSet: RollingUpdate with maxUnavailable 1 and maxSurge 0, 10 revisions kept.</summary>
    private static DaemonSetSpec DefaultDaemonSet(DaemonSetSpec? spec)
    {
        if (spec is null) return new();
        var type = spec.UpdateStrategy?.Type ?? "RollingUpdate";
        var ru = spec.UpdateStrategy?.RollingUpdate;
        if (type == "RollingUpdate") ru = (ru ?? new()) with { MaxUnavailable = ru?.MaxUnavailable ?? 1, MaxSurge = ru?.MaxSurge ?? 0 };
        return spec with
        {
            Template = DefaultTemplate(spec.Template, spec.Selector),
            UpdateStrategy = new DaemonSetUpdateStrategy { Type = type, RollingUpdate = ru },
            RevisionHistoryLimit = spec.RevisionHistoryLimit ?? 10,
        };
    }

    /// <summary>
    /// Kubernetes' SetDefaults_StatefulSet: 1 replica, OrderedReady, RollingUpdate from partition 0, 10 revisions kept,
    /// claims retained.
    /// </summary>
    private static StatefulSetSpec DefaultStatefulSet(StatefulSetSpec? spec)
    {
        if (spec is null) return new();
        var type = spec.UpdateStrategy?.Type ?? "RollingUpdate";
        var ru = spec.UpdateStrategy?.RollingUpdate;
        if (type == "RollingUpdate") ru = (ru ?? new()) with { Partition = ru?.Partition ?? 0 };
        var retention = spec.PersistentVolumeClaimRetentionPolicy;
        return spec with
        {
            Replicas = spec.Replicas ?? 1,
            Template = DefaultTemplate(spec.Template, spec.Selector),
            PodManagementPolicy = spec.PodManagementPolicy ?? "OrderedReady",
            UpdateStrategy = new StatefulSetUpdateStrategy { Type = type, RollingUpdate = ru },
            RevisionHistoryLimit = spec.RevisionHistoryLimit ?? 10,
            PersistentVolumeClaimRetentionPolicy = new StatefulSetPersistentVolumeClaimRetentionPolicy
            {
                WhenDeleted = retention?.WhenDeleted ?? "Retain",
                WhenScaled = retention?.WhenScaled ?? "Retain",
            },
            VolumeClaimTemplates = spec.VolumeClaimTemplates?.Select(c => c is null ? c! : c with
            {
                ApiVersion = c.ApiVersion ?? "v1",
                Kind = c.Kind ?? "PersistentVolumeClaim",
                Spec = c.Spec is null ? c.Spec! : c.Spec with { VolumeMode = c.Spec.VolumeMode ?? "Filesystem" },
            }).ToList(),
        };
    }

    /// <summary><c>stringData</c> is write-only: merged into base64 <c>data</c> and dropped.</summary>
    private static Secret DefaultSecret(Secret s)
    {
        var data = s.Data is null ? new Dictionary<string, string>() : new Dictionary<string, string>(s.Data);
        foreach (var (k, v) in s.StringData ?? []) data[k] = Convert.ToBase64String(Encoding.UTF8.GetBytes(v ?? ""));
        return s with { Type = s.Type ?? "Opaque", Data = data, StringData = null };
    }
}
