namespace Platform.NodeAgent.Runtime;

/// <summary>An image is neither present nor pullable; the message is the reason shown in ErrImagePull.</summary>
internal sealed class ImagePullException(string message, Exception? inner = null) : Exception(message, inner);
