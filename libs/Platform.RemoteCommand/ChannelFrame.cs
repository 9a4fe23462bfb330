namespace Platform.RemoteCommand;

/// <summary>
/// One piece of a channel's data as read from the socket. A message larger than the reader's buffer arrives as several
/// frames of the same channel; <see cref="Closed"/> is the v5 close signal for <see cref="Channel"/> (no data).
/// </summary>
public readonly record struct ChannelFrame(byte Channel, ReadOnlyMemory<byte> Data, bool Closed = false);
