using Docker.DotNet;
using Microsoft.Extensions.Options;
using Platform.ApiServer.Client;
using Platform.ApiServer.Client.Events;
using Platform.Contracts.Resources;
using Platform.EventBus;
using Platform.NodeAgent.Api;
using Platform.NodeAgent.Network;
using Platform.NodeAgent.Pods;
using Platform.NodeAgent.Ports;
using Platform.NodeAgent.PortForward;
using Platform.NodeAgent.Probes;
using Platform.NodeAgent.Proxy;
using Platform.NodeAgent.Registration;
using Platform.NodeAgent.Runtime;
using Platform.NodeAgent.StaticPods;
using Platform.NodeAgent.Streaming;

namespace Platform.NodeAgent;

/// <summary>The agent's host, public so a test host can run the same agent as <c>Program.cs</c>.</summary>
public static class NodeAgentExtensions
{
    /// <summary>Options, the client kit (apiserver client, pod informer on <c>{prefix}pods</c>, event recorder), Docker, node registration and the pod workers.</summary>
    public static WebApplicationBuilder AddNodeAgent(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var config = builder.Configuration;
        services.AddOptions<NodeAgentOptions>()
            .BindConfiguration(NodeAgentOptions.Section)
            .PostConfigure(o => Defaults(o, config))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<NodeAgentOptions>, NodeAgentOptionsValidator>();
        services.AddEventBus();

        services.AddApiClient(sp =>
        {
            var o = sp.GetRequiredService<IOptions<NodeAgentOptions>>().Value;
            return ApiConnection.FromSetting(o.ApiServerUrl, o.Token, o.ApiServerCaFile, "NodeAgent:ApiServerUrl");
        });
        services.AddEventRecorder(sp => new EventRecorderOptions { Component = "node-agent", Host = sp.GetRequiredService<IOptions<NodeAgentOptions>>().Value.NodeName });
        services.AddHttpClient(Prober.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false });
        services.AddSingleton(sp => new DockerClientConfiguration(new Uri(sp.GetRequiredService<IOptions<NodeAgentOptions>>().Value.DockerHost)).CreateClient());
        services.AddSingleton<ContainerRuntime>();
        services.AddSingleton(sp => new ContainerStartGate(sp.GetRequiredService<IOptions<NodeAgentOptions>>().Value.ParallelContainerStarts));
        services.AddSingleton<PortAllocator>();
        services.AddSingleton<CommandRunner>();
        services.AddSingleton<PodNetwork>();
        services.AddSingleton<Prober>();
        services.AddSingleton<Dns.ClusterDnsHost>();
        services.AddHostedService(sp => sp.GetRequiredService<Dns.ClusterDnsHost>());
        services.AddKubeletApi();
        services.AddResourceMetrics();
        services.AddPortForward();
        services.AddStreamingApi();
        services.AddSingleton<NodeLeaseRenewer>();
        services.AddSingleton<NodeSystemInfoReader>();
        services.AddSingleton<NodeRegistrar>();
        services.AddHostedService(sp => sp.GetRequiredService<NodeRegistrar>());
        services.AddSingleton<StaticPodManager>();
        services.AddHostedService(sp => sp.GetRequiredService<StaticPodManager>());
        services.AddSingleton<PodManager>();
        services.AddHostedService(sp => sp.GetRequiredService<PodManager>());
        services.AddSingleton<ServiceProxy>();
        services.AddHostedService<Volumes.LocalProvisioner>();

        // Every agent follows all pod events in a group of its own per process (an informer, not a work share); the
        // PodManager's informer keeps only its node's. Not one group per node: an agent restarted after a crash would
        // wait for its dead predecessor's session to time out before the group gave it the partitions; a fresh group
        // replays the topic instead, and the events the initial list covers are skipped by resourceVersion.
        var probe = new NodeAgentOptions();
        config.GetSection(NodeAgentOptions.Section).Bind(probe);
        Defaults(probe, config);
        List<string> kinds = [ResourceKinds.Pod.Plural, ResourceKinds.Service.Plural, ResourceKinds.EndpointSlice.Plural,
            ResourceKinds.PersistentVolumeClaim.Plural, ResourceKinds.PersistentVolume.Plural, ResourceKinds.StorageClass.Plural];
        // On the pod network the agent routes the other nodes' pod CIDRs (host-gw), from a Node informer.
        if (probe.PodNetwork.IsEnabled)
        {
            kinds.Add(ResourceKinds.Node.Plural);
            services.AddHostedService<NodeRoutes>();
        }
        services.AddSharedInformers($"node-agent.{probe.NodeName}.{Environment.ProcessId}-{Guid.NewGuid():N}", probe.TopicPrefix, kinds);
        if (probe.Proxy.Enabled ?? probe.PodNetwork.IsEnabled) services.AddHostedService(sp => sp.GetRequiredService<ServiceProxy>());
        return builder;
    }

    /// <summary>kubelet's API on the agent's port: container logs, exec, attach and port forwarding for the apiserver's <c>pods/log</c>, <c>pods/exec</c>, <c>pods/attach</c> and <c>pods/portforward</c>.</summary>
    public static WebApplication MapNodeAgent(this WebApplication app)
    {
        app.UseWebSockets();
        app.MapKubeletApi();
        app.MapResourceMetricsApi();
        app.MapPortForwardApi();
        app.MapStreamingApi();
        return app;
    }

    private static void Defaults(NodeAgentOptions o, IConfiguration config)
    {
        if (string.IsNullOrWhiteSpace(o.NodeName)) o.NodeName = Environment.MachineName.ToLowerInvariant();
        if (string.IsNullOrWhiteSpace(o.ApiServerUrl)) o.ApiServerUrl = config["PLATFORM_APISERVER_URL"] ?? "http://127.0.0.1:7070";
        if (string.IsNullOrWhiteSpace(o.ApiServerCaFile)) o.ApiServerCaFile = config["PLATFORM_CA_FILE"];
        if (string.IsNullOrWhiteSpace(o.Token)) o.Token = config["PLATFORM_NODE_TOKEN"] ?? config["PLATFORM_ADMIN_TOKEN"] ?? "";
        if (string.IsNullOrWhiteSpace(o.StateDirectory))
            o.StateDirectory = Path.Combine(config["PLATFORM_STATE"] is { Length: > 0 } state ? state : Path.Combine(Path.GetTempPath(), "platform"), "node-agent", o.NodeName);
        o.StaticPodPath ??= Path.Combine(o.StateDirectory, "manifests");
        if (string.IsNullOrWhiteSpace(o.VolumeRoot)) o.VolumeRoot = Path.Combine(o.StateDirectory, "volumes");
        if (o.PodNetwork.Enabled is null && bool.TryParse(config["PLATFORM_POD_NETWORK"], out var podNetwork)) o.PodNetwork.Enabled = podNetwork;
        if (string.IsNullOrWhiteSpace(o.DockerHost)) o.DockerHost = config["DOCKER_HOST"] is { Length: > 0 } h ? h : "unix:///var/run/docker.sock";
    }
}
