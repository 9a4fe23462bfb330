using Platform.Contracts.Resources;

namespace Platform.ControllerManager.Controllers.HorizontalPodAutoscaler;

/// <summary>An autoscaler's conditions being rewritten: a condition keeps its transition time while its status stays.</summary>
internal sealed class Conditions(List<Condition>? existing, DateTimeOffset now)
{
    private static readonly string[] Order = ["AbleToScale", "ScalingActive", "ScalingLimited"];

    public List<Condition> List { get; } = existing is null ? [] : [.. existing];

    public void Set(string type, string status, string reason, string message)
    {
        var i = List.FindIndex(c => c.Type == type);
        var since = i >= 0 && List[i].Status == status ? List[i].LastTransitionTime : now;
        var condition = new Condition { Type = type, Status = status, Reason = reason, Message = message, LastTransitionTime = since };
        if (i >= 0) List[i] = condition;
        else List.Add(condition);
        List.Sort((a, b) => Array.IndexOf(Order, a.Type).CompareTo(Array.IndexOf(Order, b.Type)));
    }
}
