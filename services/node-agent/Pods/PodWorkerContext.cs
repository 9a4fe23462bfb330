using Platform.ApiServer.Client;
using Platform.ApiServer.Client.Events;
using Platform.ApiServer.Client.Informers;
using Platform.Contracts.Resources;
using Platform.NodeAgent.Network;
using Platform.NodeAgent.Ports;
using Platform.NodeAgent.Probes;
using Platform.NodeAgent.Runtime;

namespace Platform.NodeAgent.Pods;

/// <summary>The services every pod worker shares.</summary>
internal sealed record PodWorkerContext(
    ApiClient Api,
    Informer<Service> Services,
    ContainerRuntime Runtime,
    ContainerStartGate Starts,
    PortAllocator Ports,
    PodNetwork Network,
    Dns.ClusterDnsHost Dns,
    Prober Prober,
    EventRecorder Events,
    NodeAgentOptions Options,
    TimeProvider Time,
    ILogger<PodWorker> Log);
