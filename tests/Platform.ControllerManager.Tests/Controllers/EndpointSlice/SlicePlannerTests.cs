using Platform.Contracts.Resources;
using Platform.ControllerManager.Controllers.EndpointSlice;

namespace Platform.ControllerManager.Tests.Controllers.EndpointSlice;

using H = EndpointSliceHarness;
using Slice = Platform.Contracts.Resources.EndpointSlice;

public sealed class SlicePlannerTests
{
    private static List<DesiredEndpoint> Pods(Service svc, int count) =>
        DesiredEndpoints.For(svc, Enumerable.Range(0, count).Select(i => H.Pod($"p{i:D3}", "web", $"10.244.{i / 200}.{i % 200 + 1}", ready: true)));

    [Fact]
    public void ASliceOverALoweredLimit_KeepsWhatFits_AndTheRestMovesToANewSlice_NoEndpointLost()
    {
        var svc = H.Service("web", targetPort: null);
        var desired = Pods(svc, 150);
        var first = SlicePlanner.Plan(svc, [], desired, max: 1000);
        var big = Assert.Single(first.Create) with { Metadata = first.Create[0].Metadata with { ResourceVersion = "7" } };
        Assert.Equal(150, big.Endpoints!.Count);

        var plan = SlicePlanner.Plan(svc, [big], desired, max: 100);
        var updated = Assert.Single(plan.Update);
        var created = Assert.Single(plan.Create);
        Assert.Empty(plan.Delete);
        Assert.Equal(big.Metadata.Name, updated.Metadata.Name);
        Assert.Equal("7", updated.Metadata.ResourceVersion);
        Assert.Equal(100, updated.Endpoints!.Count);
        Assert.Equal(50, created.Endpoints!.Count);
        Assert.Equal(150, updated.Endpoints.Concat(created.Endpoints).Select(e => e.TargetRef!.Uid).Distinct().Count());
        Assert.NotEqual(updated.Metadata.Name, created.Metadata.Name);
    }

    [Fact]
    public void AServiceWithoutPods_HasOneEmptySlice_AndTheSamePlanAgainChangesNothing()
    {
        var svc = H.Service("web");
        var plan = SlicePlanner.Plan(svc, [], [], max: 100);
        var placeholder = Assert.Single(plan.Create);
        Assert.Empty(placeholder.Endpoints!);
        Assert.True(SlicePlanner.Plan(svc, [placeholder], [], max: 100).IsEmpty);

        // Pods arrive: the placeholder's port set differs, so it goes and a slice of the resolved ports comes.
        var next = SlicePlanner.Plan(svc, [placeholder], Pods(svc, 2), max: 100);
        Assert.Equal(placeholder.Metadata.Name, Assert.Single(next.Delete).Metadata.Name);
        Assert.Equal(2, Assert.Single(next.Create).Endpoints!.Count);
        Slice settled = next.Create[0];
        Assert.True(SlicePlanner.Plan(svc, [settled], Pods(svc, 2), max: 100).IsEmpty);
    }
}
