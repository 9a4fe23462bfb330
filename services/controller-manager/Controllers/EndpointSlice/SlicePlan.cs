namespace Platform.ControllerManager.Controllers.EndpointSlice;

using Slice = Platform.Contracts.Resources.EndpointSlice;

/// <summary>The writes that bring a Service's slices to the desired state; empty when nothing changed.</summary>
internal sealed record SlicePlan(List<Slice> Create, List<Slice> Update, List<Slice> Delete)
{
    public bool IsEmpty => Create.Count == 0 && Update.Count == 0 && Delete.Count == 0;
}
