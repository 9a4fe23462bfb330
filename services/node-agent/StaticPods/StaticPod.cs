using Platform.Contracts.Resources;

namespace Platform.NodeAgent.StaticPods;

/// <summary>One Pod document of a manifest file, made into this node's static pod; <see cref="Hash"/> is also its uid.</summary>
internal sealed record StaticPod(string File, Pod Pod, string Hash)
{
    public string Key => Pod.Metadata.Namespace + "/" + Pod.Metadata.Name;
}
