namespace Platform.NodeAgent.Network;

/// <summary>A step of setting up or tearing down a pod's network failed (the message names the command and its stderr).</summary>
internal sealed class PodNetworkException(string message) : InvalidOperationException(message);
