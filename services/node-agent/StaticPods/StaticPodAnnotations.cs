using Platform.Contracts.Resources;

namespace Platform.NodeAgent.StaticPods;

/// <summary>The annotations kubelet puts on static pods and their mirror pods, under the same names.</summary>
internal static class StaticPodAnnotations
{
    /// <summary>On a mirror pod: the hash of the static pod it mirrors. The apiserver lets a node create only pods carrying it.</summary>
    public const string Mirror = "kubernetes.io/config.mirror";

    /// <summary>Where the pod came from: <c>file</c> for a manifest in the static pod folder.</summary>
    public const string Source = "kubernetes.io/config.source";

    /// <summary>The static pod's uid, the hash of its manifest and node.</summary>
    public const string Hash = "kubernetes.io/config.hash";

    public const string FileSource = "file";

    public static bool IsMirror(Pod pod) => pod.Metadata.Annotations?.ContainsKey(Mirror) == true;
}
