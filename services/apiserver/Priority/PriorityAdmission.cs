using System.Text.Json.Nodes;
using Platform.ApiServer.Problems;
using Platform.ApiServer.Storage;
using Platform.Contracts.Resources;

namespace Platform.ApiServer.Priority;

/// <summary>
/// Kubernetes' Priority admission. A new pod's <c>spec.priorityClassName</c> resolves to <c>spec.priority</c> and
/// <c>spec.preemptionPolicy</c>; a pod naming no class gets the global default class (the lowest-valued one if several
/// claim it) or priority 0. A pod that states a priority or a policy other than its class's is refused, as is a class
/// marked <c>globalDefault</c> while another class already is. Reads run in the write's transaction.
/// </summary>
internal static class PriorityAdmission
{
    public static async Task<JsonObject> AdmitPodAsync(WriteSession w, JsonObject pod, CancellationToken ct)
    {
        if (pod["spec"] is not JsonObject spec) return pod;
        var name = (string?)pod["metadata"]?["name"] ?? "";
        var className = (string?)spec["priorityClassName"];
        PriorityClass? pc;
        if (string.IsNullOrEmpty(className))
        {
            pc = (await ListAsync(w, ct)).Where(c => c.GlobalDefault == true)
                .OrderBy(c => c.Value).ThenBy(c => c.Metadata.Name, StringComparer.Ordinal).FirstOrDefault();
            if (pc is not null) spec["priorityClassName"] = pc.Metadata.Name;
        }
        else
        {
            var stored = await w.PeekAsync(ResourceKinds.PriorityClass, "", className, ct)
                ?? throw Forbidden(name, $"no PriorityClass with name {className} was found");
            pc = (PriorityClass)ResourceCodec.Decode(ResourceKinds.PriorityClass, stored.Body);
        }
        var priority = pc?.Value ?? 0;
        if (spec["priority"] is JsonValue given && (int)given != priority)
            throw Forbidden(name, $"the integer value of priority ({(int)given}) must not be provided in pod spec; priority admission controller computed {priority} from the given PriorityClass name");
        spec["priority"] = priority;
        var policy = pc?.PreemptionPolicy ?? PriorityClass.PreemptLowerPriority;
        if ((string?)spec["preemptionPolicy"] is { } stated && pc?.PreemptionPolicy is not null && stated != policy)
            throw Forbidden(name, $"the string value of PreemptionPolicy ({stated}) must not be provided in pod spec; priority admission controller computed {policy} from the given PriorityClass name");
        spec["preemptionPolicy"] = (string?)spec["preemptionPolicy"] ?? policy;
        return pod;
    }

    /// <summary>Only one class may be the global default.</summary>
    public static async Task AdmitClassAsync(WriteSession w, JsonObject pc, CancellationToken ct)
    {
        if ((bool?)pc["globalDefault"] != true) return;
        var name = (string?)pc["metadata"]?["name"];
        var other = (await ListAsync(w, ct)).FirstOrDefault(c => c.GlobalDefault == true && c.Metadata.Name != name);
        if (other is not null)
            throw ApiProblem.Forbidden($"priorityclasses.scheduling.k8s.io \"{name}\" is forbidden: PriorityClass {other.Metadata.Name} is already marked as default. Only one default can exist");
    }

    private static async Task<IEnumerable<PriorityClass>> ListAsync(WriteSession w, CancellationToken ct) =>
        (await w.ListAsync(ResourceKinds.PriorityClass, "", forUpdate: false, ct)).Select(c => (PriorityClass)ResourceCodec.Decode(ResourceKinds.PriorityClass, c.Body));

    private static ApiProblem Forbidden(string pod, string reason) => ApiProblem.Forbidden($"pods \"{pod}\" is forbidden: {reason}");
}
