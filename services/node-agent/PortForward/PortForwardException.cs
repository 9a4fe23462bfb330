namespace Platform.NodeAgent.PortForward;

/// <summary>A forwarded connection cannot reach the pod's port; the message goes to the client's error stream.</summary>
internal sealed class PortForwardException(string message, Exception? inner = null) : Exception(message, inner);
