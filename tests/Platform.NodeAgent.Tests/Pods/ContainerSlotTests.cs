using System.Net;
using System.Net.Sockets;
using Platform.Contracts.Resources;
using Platform.NodeAgent.Pods;
using Platform.NodeAgent.Probes;

namespace Platform.NodeAgent.Tests.Pods;

/// <summary>
/// A fresh-clone suite run saw a killed container never restarted: its readiness probe's loop had failed (a refused
/// connection escaped the prober while the worker was stopping it), and every later sync of the pod failed again on
/// stopping that same probe. Stopping the probes now forgets them first, so one failure is reported once.
/// </summary>
public sealed class ContainerSlotTests
{
    [Fact]
    public async Task StopProbes_AfterAProbeLoopFailed_ThrowsOnce_ThenTheSlotHasNoProbes()
    {
        var slot = new ContainerSlot("main", new CrashLoopBackOff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(10)));
        var closedPort = ClosedLoopbackPort();
        var probe = new Probe { TcpSocket = new TcpSocketAction { Port = closedPort }, PeriodSeconds = 1, FailureThreshold = 1 };
        var failed = new TaskCompletionSource();
        slot.Probes.Add(new ProbeWorker(ProbeKind.Readiness, probe, new ProbeTarget("c1", "127.0.0.1", _ => closedPort), new Prober(null!, null!),
            TimeProvider.System, (_, _) =>
            {
                failed.TrySetResult();
                throw new InvalidOperationException("the probe's loop failed");
            }));
        slot.ProbesFor = "c1";
        await failed.Task.WaitAsync(TimeSpan.FromSeconds(10));

        await Assert.ThrowsAsync<InvalidOperationException>(slot.StopProbesAsync);

        Assert.Empty(slot.Probes);
        Assert.Null(slot.ProbesFor);
        await slot.StopProbesAsync();
    }

    private static int ClosedLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
