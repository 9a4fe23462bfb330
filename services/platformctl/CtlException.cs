namespace Platform.Ctl;

/// <summary>An error shown to the user as one line on stderr, exit code 1.</summary>
public sealed class CtlException(string message) : Exception(message);
