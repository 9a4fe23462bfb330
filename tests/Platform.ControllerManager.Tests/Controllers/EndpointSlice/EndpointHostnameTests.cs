using Platform.Contracts.Resources;
using Platform.ControllerManager.Controllers.EndpointSlice;

namespace Platform.ControllerManager.Tests.Controllers.EndpointSlice;

using H = EndpointSliceHarness;

/// <summary>Kubernetes' ShouldSetHostname: an endpoint is named by its pod's hostname only under the Service its subdomain names.</summary>
public sealed class EndpointHostnameTests
{
    private static Pod Named(string name, string? hostname, string? subdomain)
    {
        var pod = H.Pod(name, "web", "10.244.0." + (name[^1] - '0' + 10), ready: true);
        return pod with { Spec = pod.Spec with { Hostname = hostname, Subdomain = subdomain } };
    }

    [Fact]
    public void APodWithAHostnameUnderThisService_IsPublishedByIt_OthersAreNot()
    {
        var svc = H.Service("web");
        var desired = DesiredEndpoints.For(svc, [Named("web-0", "web-0", "web"), Named("web-1", "web-1", "other"), Named("web-2", null, "web")]);
        Assert.Equal(["web-0", null, null], desired.OrderBy(d => d.PodName).Select(d => d.Endpoint.Hostname));
        var endpoints = EndpointsMirror.Build(svc, desired, null);
        Assert.Equal(["web-0"], endpoints.Subsets!.SelectMany(s => s.Addresses ?? []).Select(a => a.Hostname).OfType<string>());
    }
}
