using Microsoft.Extensions.DependencyInjection;
using Platform.NodeAgent.Pods;
using Platform.NodeAgent.StaticPods;
using Platform.Testing.Cluster;

namespace Platform.NodeAgent.Tests.Infrastructure;

/// <summary>The workers inside an in-process agent, which only the agent's own tests may see.</summary>
internal static class NodeAgentHostExtensions
{
    extension(NodeAgentHost agent)
    {
        public PodManager Pods => agent.Services.GetRequiredService<PodManager>();
        public StaticPodManager StaticPods => agent.Services.GetRequiredService<StaticPodManager>();
    }
}
