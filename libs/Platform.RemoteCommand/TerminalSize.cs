namespace Platform.RemoteCommand;

/// <summary>A terminal's size in character cells, as client-go's <c>TerminalSize</c> sends it on <see cref="StreamChannel.Resize"/>.</summary>
public readonly record struct TerminalSize(ushort Width, ushort Height);
