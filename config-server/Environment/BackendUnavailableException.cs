namespace Platform.ConfigServer.Environment;

/// <summary>A backend cannot be read (repository unreachable, database down); the message names it.</summary>
internal sealed class BackendUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
