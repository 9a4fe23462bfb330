using System.Text.Json;
using Platform.Contracts.Resources;

namespace Platform.Contracts.Validation;

/// <summary>
/// The schema every write of the apiserver must pass, and every consumer checks an event against: an object as created
/// or updated, and what may not change on update. Returns every error, so a client sees all of them in one answer.
/// </summary>
public static class ResourceValidator
{
    public static FieldErrors Check(ResourceKind kind, Resource r, Resource? old = null)
    {
        var errors = new FieldErrors();
        var names = kind == ResourceKinds.Namespace || kind == ResourceKinds.Service ? NameRule.Dns1123Label
            : kind.Group == ResourceKinds.Rbac ? NameRule.PathSegment : NameRule.Dns1123Subdomain;
        MetadataValidator.Validate(r.Metadata, names, errors);
        switch (r)
        {
            case Pod p: PodSpecValidator.Validate(p.Spec, "spec", errors); break;
            case ReplicaSet rs: WorkloadValidator.ValidateReplicaSet(rs.Spec, errors); break;
            case Deployment d: WorkloadValidator.ValidateDeployment(d.Spec, errors); break;
            case DaemonSet ds: SetValidator.ValidateDaemonSet(ds.Spec, errors); break;
            case StatefulSet sts: SetValidator.ValidateStatefulSet(sts.Spec, errors); break;
            case ControllerRevision cr: SetValidator.ValidateRevision(cr, errors); break;
            case Service s: ServiceValidator.Validate(s.Spec, errors); break;
            case ConfigMap cm: DataValidator.ValidateConfigMap(cm, errors); break;
            case Secret sec: DataValidator.ValidateSecret(sec, errors); break;
            case Node n: ClusterValidator.ValidateNode(n, errors); break;
            case ResourceQuota q: QuotaValidator.Validate(q, errors); break;
            case LimitRange lr: LimitRangeValidator.Validate(lr, errors); break;
            case Event e: ClusterValidator.ValidateEvent(e, errors); break;
            case Platform.Contracts.Resources.Route rt: ClusterValidator.ValidateRoute(rt, errors); break;
            case RouteFilter rf: ClusterValidator.ValidateRouteFilter(rf, errors); break;
            case Lease l: LeaseValidator.Validate(l, errors); break;
            case Ingress ing: IngressValidator.Validate(ing, errors); break;
            case Job job: JobValidator.ValidateJob(job, errors); break;
            case CronJob cj: JobValidator.ValidateCronJob(cj, errors); break;
            case HorizontalPodAutoscaler hpa: HpaValidator.Validate(hpa, errors); break;
            case KafkaTopic kt: KafkaValidator.ValidateTopic(kt, errors); break;
            case KafkaConnector kc: KafkaValidator.ValidateConnector(kc, errors); break;
            case Resources.GatewayApi.GatewayClass gc: GatewayApiValidator.ValidateClass(gc, errors); break;
            case Resources.GatewayApi.Gateway gw: GatewayApiValidator.ValidateGateway(gw, errors); break;
            case Resources.GatewayApi.HttpRoute hr: GatewayApiValidator.ValidateHttpRoute(hr, errors); break;
            case Resources.GatewayApi.ReferenceGrant rg: GatewayApiValidator.ValidateReferenceGrant(rg, errors); break;
            case IngressClass ic: IngressValidator.ValidateClass(ic, errors); break;
            case PersistentVolume pv: StorageValidator.ValidateVolume(pv, errors); break;
            case PersistentVolumeClaim pvc: StorageValidator.ValidateClaim(pvc, errors); break;
            case StorageClass sc: StorageValidator.ValidateClass(sc, errors); break;
            case PriorityClass pc: PriorityValidator.ValidateClass(pc, errors); break;
            case PodDisruptionBudget pdb: PriorityValidator.ValidateBudget(pdb, errors); break;
            case EndpointSlice es: EndpointsValidator.ValidateSlice(es, errors); break;
            case Endpoints ep: EndpointsValidator.ValidateEndpoints(ep, errors); break;
            case Platform.Contracts.Resources.Role role: RbacValidator.ValidateRules(role.Rules, clusterScoped: false, errors); break;
            case ClusterRole cr:
                RbacValidator.ValidateRules(cr.Rules, clusterScoped: true, errors);
                RbacValidator.ValidateAggregation(cr.AggregationRule, errors);
                break;
            case RoleBinding rb: RbacValidator.ValidateBinding(rb.RoleRef, rb.Subjects, clusterBinding: false, errors); break;
            case ClusterRoleBinding crb: RbacValidator.ValidateBinding(crb.RoleRef, crb.Subjects, clusterBinding: true, errors); break;
        }
        if (old is not null) ValidateUpdate(r, old, errors);
        return errors;
    }

    private static void ValidateUpdate(Resource r, Resource old, FieldErrors errors)
    {
        if (r.Metadata.Uid is { } uid && uid != old.Metadata.Uid) errors.Immutable("metadata.uid");
        StorageValidator.ValidateUpdate(r, old, errors);
        SetValidator.ValidateUpdate(r, old, errors);
        PriorityValidator.ValidateUpdate(r, old, errors);
        KafkaValidator.ValidateUpdate(r, old, errors);
        GatewayApiValidator.ValidateUpdate(r, old, errors);
        switch (r, old)
        {
            case (Pod p, Pod o):
                var names = p.Spec?.Containers?.Select(c => c?.Name).ToList() ?? [];
                if (!names.SequenceEqual(o.Spec.Containers.Select(c => c.Name))) errors.Invalid("spec.containers", "containers may not be added, removed or renamed (only image may change)");
                if (!string.IsNullOrEmpty(o.Spec.NodeName) && p.Spec?.NodeName != o.Spec.NodeName) errors.Immutable("spec.nodeName");
                if (string.IsNullOrEmpty(o.Spec.NodeName) && !string.IsNullOrEmpty(p.Spec?.NodeName)) errors.Invalid("spec.nodeName", "set through the binding subresource");
                break;
            case (ReplicaSet a, ReplicaSet b) when !JsonEqual(a.Spec?.Selector, b.Spec.Selector):
                errors.Immutable("spec.selector");
                break;
            case (Deployment a, Deployment b) when !JsonEqual(a.Spec?.Selector, b.Spec.Selector):
                errors.Immutable("spec.selector");
                break;
            case (EndpointSlice a, EndpointSlice b) when a.AddressType != b.AddressType:
                errors.Invalid("addressType", "Invalid value: \"" + a.AddressType + "\": field is immutable");
                break;
            case (Node a, Node b):
                NodeCidrValidator.ValidateUpdate(a.Spec, b.Spec, errors);
                break;
            case (Service a, Service b):
                ServiceValidator.ValidateUpdate(a.Spec, b.Spec, errors);
                break;
            case (ConfigMap a, ConfigMap b) when b.Immutable == true:
                if (a.Immutable != true) errors.Immutable("immutable");
                if (!JsonEqual(a.Data, b.Data)) errors.Invalid("data", "may not change: the ConfigMap is immutable");
                break;
            case (Secret a, Secret b) when b.Immutable == true:
                if (a.Immutable != true) errors.Immutable("immutable");
                if (!JsonEqual(a.Data, b.Data)) errors.Invalid("data", "may not change: the Secret is immutable");
                break;
            case (RoleBinding a, RoleBinding b) when !JsonEqual(a.RoleRef, b.RoleRef):
                errors.Invalid("roleRef", "cannot change roleRef");
                break;
            case (ClusterRoleBinding a, ClusterRoleBinding b) when !JsonEqual(a.RoleRef, b.RoleRef):
                errors.Invalid("roleRef", "cannot change roleRef");
                break;
            case (Job a, Job b):
                if (!JsonEqual(a.Spec?.Selector, b.Spec.Selector)) errors.Immutable("spec.selector");
                if (!JsonEqual(a.Spec?.Template, b.Spec.Template) && b.Status?.StartTime is not null) errors.Immutable("spec.template");
                JobValidator.ValidateUpdate(a, b, errors);
                break;
            case (IngressClass a, IngressClass b) when a.Spec?.Controller != b.Spec.Controller:
                errors.Immutable("spec.controller");
                break;
            case (Secret a, Secret b) when (a.Type ?? "Opaque") != (b.Type ?? "Opaque"):
                errors.Immutable("type");
                break;
        }
    }

    private static bool JsonEqual<T>(T a, T b) =>
        JsonSerializer.Serialize(a, ResourceJson.Options) == JsonSerializer.Serialize(b, ResourceJson.Options);
}
